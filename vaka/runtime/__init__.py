"""Running Vaka: its processes, the supervisor of `vaka run`, the Temporal worker."""
