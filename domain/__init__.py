"""Vaka's domain: the child's case file, its stages and its clocks. Pure Python."""
