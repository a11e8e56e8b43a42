"""The pages, one router per area of work."""
