"""Killing the process that delivers e-mail mid-delivery loses nothing and doubles nothing
a reader would see: every notification arrives, each under its own Message-ID."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import People
from tests.support.smtp import smtp_server
from tests.support.stack import Stack

pytestmark = [pytest.mark.temporal, pytest.mark.postgres]

CHILDREN = 8


def test_killing_the_notifier_mid_delivery_delivers_each_notification_once(
        tmp_path: Path, postgres_url: str) -> None:
    with smtp_server(delay=0.15) as (inbox, port):
        stack = Stack(tmp_path / "data", postgres_url, smtp_port=port)
        stack.env["VAKA_DELIVERY_LEASE_SECONDS"] = "3"
        stack.start()
        try:
            people = People(stack)
            for i in range(CHILDREN):
                child = people.caseworker.post("/children", {
                    "arrived_at": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
                    "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
                    "municipality": "Malmö"}).json()["child_id"]
                for body in (
                    {"type": "CaseworkerAssigned", "caseworker_id": people.caseworker_id},
                    {"type": "ContactAdded", "role": "school", "name": "School",
                     "email": f"school{i}@example.org"},
                    {"type": "ReportedMissing", "place": "x", "seen_by": "y",
                     "last_seen_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
                ):
                    assert people.caseworker.post(f"/children/{child}/events", body).is_success
            expected = CHILDREN * 3  # caseworker, supervisor and school, for each child
            deadline = time.monotonic() + 30
            while len(inbox.messages) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            stack.kill9("projector")  # notifier and e-mail sender, mid-delivery
            deadline = time.monotonic() + 90
            while len({m["Message-ID"] for m in inbox.messages}) < expected and \
                    time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            stack.stop()
    ids = Counter(m["Message-ID"] for m in inbox.messages)
    assert len(ids) == expected, f"{len(ids)} of {expected} notifications arrived"
    missing_mails = [m for m in inbox.messages if "anmält försvunnet" in m["Subject"]]
    per_recipient = Counter(m["To"] for m in missing_mails)
    assert set(per_recipient) >= {"cw@example.org", "sup@example.org"}
    # At most the one message in flight at the kill can be sent twice, and then under the
    # same Message-ID, so the reader's mail client shows it once.
    assert sum(ids.values()) - len(ids) <= 1
