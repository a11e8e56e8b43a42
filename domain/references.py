"""The case reference people use for a child in messages and on paper: VK- and eight
characters of the child's id. Carries nothing of the child."""

from __future__ import annotations

PREFIX = "VK-"


def case_reference(child_id: str) -> str:
    return PREFIX + child_id.replace("-", "")[:8].upper()


def reference_prefix(text: str) -> str | None:
    """The id prefix a typed reference stands for ('vk-1a2b3c4d' -> '1a2b3c4d'), or None."""
    cleaned = text.strip().upper().replace(" ", "")
    if not cleaned.startswith(PREFIX):
        return None
    rest = cleaned[len(PREFIX):]
    if len(rest) != 8 or any(c not in "0123456789ABCDEF" for c in rest):
        return None
    return rest.lower()
