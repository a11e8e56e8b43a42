"""Processes that follow the case file's notification log from a tracked position."""
