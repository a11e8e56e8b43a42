"""Vaka's runtime: settings, wiring, the processes and the command-line tool."""

from __future__ import annotations


def installed_version() -> str:
    """The version of the installed package (pyproject.toml's), as `vaka --version` says."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vaka")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"
