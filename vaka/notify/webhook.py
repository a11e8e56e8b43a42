"""Webhooks: a JSON POST signed with HMAC-SHA256 over the timestamp and the body.

Headers: `Vaka-Timestamp` (Unix seconds), `Vaka-Signature: sha256=<hex>` of
`"{timestamp}.{body}"` with the recipient's secret, and `Idempotency-Key` (the
notification id). A receiver checks the signature, rejects old timestamps, and folds
repeats by the key. 2xx is delivered; 4xx other than 408/429 fails for good; anything
else is retried with backoff.

Only public addresses are sent to unless an admin allows private ones
(vaka.notify.webhook_targets); redirects are not followed. A delivery that reaches no
server fails with one text whatever the reason (refused, timed out, reset, TLS), so the
delivery status tells nobody which ports answer where; the operator's log names the kind.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import httpx

from vaka.notify import outbox
from vaka.notify.webhook_targets import RefusedTarget, Target, target_for
from vaka.readside.db import Database

log = logging.getLogger("vaka.webhook")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookSender:
    channel = "webhook"

    def __init__(self, db: Database, batch_size: int = 50, timeout: float = 10.0,
                 lease: timedelta = outbox.LEASE, allow_private: bool = False) -> None:
        self.db = db
        self.allow_private = allow_private
        self.lease = lease
        self.batch_size = batch_size
        self.client = httpx.Client(timeout=timeout, follow_redirects=False)

    def step(self) -> int:
        sent = 0
        for delivery in outbox.claim_each(self.db, self.channel, self.batch_size, self.lease):
            sent += 1
            try:
                self._post(delivery)
            except outbox.Permanent as exc:
                outbox.failed(self.db, delivery, str(exc), permanent=True)
            except httpx.HTTPStatusError as exc:
                outbox.failed(self.db, delivery, str(exc))
            except (httpx.HTTPError, OSError) as exc:
                log.warning("webhook %s not delivered: %s", delivery.notification_id,
                            type(exc).__name__)
                outbox.failed(self.db, delivery, UNREACHABLE)
            except Exception as exc:  # an address no request can go to: this one only
                log.error("webhook %s cannot be sent: %s", delivery.notification_id,
                          type(exc).__name__)
                outbox.failed(self.db, delivery, type(exc).__name__, permanent=True)
            else:
                outbox.delivered(self.db, delivery)
        return sent

    def _post(self, delivery: outbox.Delivery) -> None:
        secret = self._secret(delivery)
        body = json.dumps({
            "notification_id": delivery.notification_id, "kind": delivery.kind,
            "urgent": delivery.urgent, "subject": delivery.subject, "body": delivery.body,
            "child_id": delivery.child_id, "created_at": delivery.created_at,
        }).encode()
        timestamp = str(int(time.time()))
        try:
            target = target_for(delivery.target, self.allow_private)
        except RefusedTarget as exc:
            if "resolve" in str(exc):
                raise httpx.ConnectError(str(exc)) from None  # perhaps later: retried
            raise outbox.Permanent(str(exc)) from None
        request = self.client.build_request("POST", _pinned(target), content=body, headers={
            "Host": httpx.URL(target.url).netloc.decode("ascii"),
            "Content-Type": "application/json", "Vaka-Timestamp": timestamp,
            "Vaka-Signature": signature(secret, timestamp, body),
            "Idempotency-Key": delivery.notification_id,
        }, extensions={"sni_hostname": target.host})
        response = self.client.send(request)
        if response.status_code < 300:
            return
        reason = f"HTTP {response.status_code}"
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise outbox.Permanent(reason)
        raise httpx.HTTPStatusError(reason, request=response.request, response=response)

    def _secret(self, delivery: outbox.Delivery) -> str:
        with self.db.transaction(readonly=True) as tx:
            row = tx.one("SELECT u.webhook_secret FROM notifications n JOIN users u"
                         " ON u.user_id = n.recipient_user_id WHERE n.notification_id = ?",
                         (delivery.notification_id,))
        return (row or {}).get("webhook_secret") or ""


UNREACHABLE = "the webhook's server could not be reached"


def _pinned(target: Target) -> httpx.URL:
    """The URL with its host replaced by the address that was checked: the connection goes
    there, while the Host header and TLS (SNI and the certificate) keep the name."""
    return httpx.URL(target.url).copy_with(host=str(target.address))
