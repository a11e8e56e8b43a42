"""Vaka's runtime: settings, wiring, the processes and the command-line tool."""
