"""The return checklist (RULEBOOK section 5, Return; 002 L498-520, 004 F13).

Opened when a return is confirmed, one owner per item; owners can be reassigned
(`ChecklistItemAssigned`) and items ticked off (`ChecklistItemDone`).
"""

from __future__ import annotations

ITEMS: dict[str, tuple[str, str]] = {
    # item id: (what, default owner)
    "farewell_preparation": ("Farewell talks and preparation with the child", "caseworker"),
    "documents_translated": ("Documents translated", "caseworker"),
    "certificates": ("School, vaccination and health certificates", "placement"),
    "keepsakes_and_contacts": ("Keepsakes and contact details of important people", "god_man"),
    "reception_and_housing": ("Reception person and first-days housing in the home country",
                              "caseworker"),
    "money": ("Money for the journey and first days", "caseworker"),
    "medical_handover": ("Medical hand-over", "health"),
}
