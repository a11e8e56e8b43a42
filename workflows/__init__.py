"""Temporal workflows: deterministic, they only keep time and call activities."""
