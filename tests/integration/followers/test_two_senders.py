"""Two instances of the e-mail and digest senders (one in each projector process) share
the delivery queue: each delivery is claimed by one of them, never both."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from tests.support.readside import rows
from tests.support.smtp import smtp_server
from vaka.bootstrap import Services
from vaka.config import Settings
from vaka.notify import outbox
from vaka.notify.alerts import Alert
from vaka.notify.audience import Recipient
from vaka.notify.digest import DigestSender
from vaka.notify.email import EmailSender

DELIVERIES = 300


def test_two_senders_claiming_at_once_never_claim_the_same_delivery(
        services: Services) -> None:
    _post(services, DELIVERIES)
    start = threading.Barrier(2)

    def sender() -> list[str]:
        start.wait()
        claimed: list[str] = []
        while batch := outbox.claim(services.db, "email", 7):
            claimed.extend(d.notification_id for d in batch)
        return claimed

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: sender(), range(2))
    assert len(first) + len(second) == DELIVERIES
    assert not set(first) & set(second)
    assert rows(services, "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'sending'"
                )[0]["n"] == DELIVERIES


def test_a_sender_that_dies_mid_batch_holds_back_only_the_delivery_in_hand(
        services: Services) -> None:
    """The others go out at once from another sender, not after the delivery lease."""
    _post(services, 10)
    dying = outbox.claim_each(services.db, "email", 50)
    next(dying)  # sending the first when it is killed
    taken_over = list(outbox.claim_each(services.db, "email", 50))
    assert len(taken_over) == 9


def _post(services: Services, count: int) -> None:
    box = outbox.Outbox(email_enabled=True)
    with services.db.transaction() as tx:
        for seq in range(1, count + 1):
            someone = Recipient(f"user:{seq}", "caseworker", f"u{seq}", f"u{seq}@example.org")
            box.post(tx, "child-1", seq, Alert("missing", True, "s", "b", [someone]))


def test_two_digest_senders_at_seven_put_each_held_item_in_one_digest(
        services: Services, backend: Settings) -> None:
    box = outbox.Outbox(email_enabled=True)
    with services.db.transaction() as tx:
        for seq in range(1, 61):
            reader = Recipient(f"user:{seq % 12}", "caseworker", f"u{seq % 12}",
                               f"u{seq % 12}@example.org", digest=True)
            box.post(tx, "child-1", seq, Alert("reminder", False, f"item-{seq}.", "b",
                                               [reader]))
    seven_tomorrow = (datetime.now(services.policy.timezone) + timedelta(days=1)).replace(
        hour=7, minute=30)
    start = threading.Barrier(2)
    with smtp_server() as (inbox, port):
        settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})

        def sender() -> int:
            email = EmailSender(services.db, settings)
            digest = DigestSender(services.db, settings, email, services.policy.timezone)
            start.wait()
            return digest.step(seven_tomorrow)

        with ThreadPoolExecutor(2) as pool:
            sent = sum(pool.map(lambda _: sender(), range(2)))
        texts = [m.get_content() for m in inbox.wait_for(12)]
    items = Counter(word for text in texts for word in text.split() if word.startswith("item-"))
    assert sent == 60
    assert len(items) == 60 and set(items.values()) == {1}
