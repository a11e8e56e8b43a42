"""What an operator watches: metrics read from the stores, logs, and traces. Nothing here
ever carries a child's personal data: ids, event types, counts and instants only."""
