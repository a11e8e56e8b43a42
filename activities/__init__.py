"""Activities: the bridge from the journey workflow to the case file. Idempotent."""
