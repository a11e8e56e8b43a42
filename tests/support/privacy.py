"""Reading a Temporal history as a person would: payloads are base64 in its JSON."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


def readable_history(history_json: str) -> str:
    """The history's JSON with every payload's `data` decoded, so a search for a name,
    a place or a date of birth finds it if it is there."""
    decoded: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "data" and isinstance(value, str):
                    try:
                        decoded.append(base64.b64decode(value).decode("utf-8", "replace"))
                    except (binascii.Error, ValueError):
                        decoded.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(history_json))
    return history_json + "\n" + "\n".join(decoded)
