"""The read side: read models, users, inbox, positions; the queries that answer from them."""
