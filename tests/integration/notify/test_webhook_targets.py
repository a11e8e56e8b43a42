"""Webhooks reach public addresses only, unless an admin allows private ones: refused when
registered and again when sent (a name that turned private meanwhile included), and a
delivery that reaches no server says so in one text, never which ports answer."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.casefile import now, register_child, report_missing
from tests.support.webhook_receiver import webhook_receiver
from vaka.bootstrap import Services
from vaka.notify.webhook import UNREACHABLE, WebhookSender
from vaka.notify.webhook_targets import is_public

SECRET = "a-webhook-secret-of-length"
PRIVATE = ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/hook",
           "http://169.254.169.254/latest/meta-data", "http://10.0.0.5/hook",
           "https://192.168.1.20/hook", "http://[::ffff:127.0.0.1]/hook", "http://[fd00::1]/",
           "http://100.64.0.1/", "http://0.0.0.0:8000/"]


@pytest.fixture
def caseworker(sqlite_services: Services) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    user = sqlite_services.users.add("Caseworker", "caseworker", "Malmö")
    headers = {"Authorization": f"Bearer {sqlite_services.users.issue_token(user.user_id)}"}
    with TestClient(create_app(sqlite_services)) as api:
        yield api, headers, user.user_id


@pytest.mark.parametrize("url", PRIVATE)
def test_a_private_address_is_refused_when_registered_and_nothing_changes(
        caseworker: tuple[TestClient, dict[str, str], str], url: str) -> None:
    api, headers, _ = caseworker
    refused = api.put("/me/preferences", headers=headers,
                      json={"webhook_url": url, "webhook_secret": SECRET})
    assert refused.status_code == 422
    assert "loopback, private or link-local" in refused.json()["detail"]
    assert api.get("/me/preferences", headers=headers).json()["webhook_url"] is None


def test_an_admin_may_allow_private_addresses(
        sqlite_services: Services, caseworker: tuple[TestClient, dict[str, str], str]) -> None:
    api, headers, _ = caseworker
    sqlite_services.settings.webhook_allow_private = True
    saved = api.put("/me/preferences", headers=headers,
                    json={"webhook_url": "http://10.0.0.5/hook", "webhook_secret": SECRET})
    assert saved.status_code == 200, saved.text


def _one_alert_by_webhook(svc: Services, user_id: str, url: str) -> None:
    svc.users.set_preferences(user_id, email_enabled=False, digest=False, webhook_url=url,
                              webhook_secret=SECRET)
    child_id = register_child(svc.case_file)
    report_missing(svc.case_file, child_id, now())
    for follower in (svc.projector(), svc.notifier()):
        while follower.step():
            pass


def _deliveries(svc: Services) -> list[dict]:  # type: ignore[type-arg]
    with svc.db.transaction(readonly=True) as tx:
        return tx.execute("SELECT status, error FROM deliveries WHERE channel = 'webhook'")


def test_a_name_that_resolves_to_loopback_at_send_time_is_not_sent_to(
        sqlite_services: Services) -> None:
    svc = sqlite_services
    supervisor = svc.users.add("Supervisor", "supervisor", "Malmö")
    with webhook_receiver(SECRET) as (receiver, url):
        # Registered while it pointed elsewhere; by now the name answers with loopback.
        _one_alert_by_webhook(svc, supervisor.user_id, url.replace("127.0.0.1", "localhost"))
        while WebhookSender(svc.db).step():
            pass
    assert receiver.received == []
    assert [(d["status"], "loopback, private or link-local" in d["error"])
            for d in _deliveries(svc)] == [("failed", True)]


def test_an_allowed_name_is_sent_to_the_address_checked_with_its_own_host_header(
        sqlite_services: Services) -> None:
    svc = sqlite_services
    supervisor = svc.users.add("Supervisor", "supervisor", "Malmö")
    with webhook_receiver(SECRET) as (receiver, url):
        named = url.replace("127.0.0.1", "localhost")
        _one_alert_by_webhook(svc, supervisor.user_id, named)
        while WebhookSender(svc.db, allow_private=True).step():
            pass
    assert [r["host"] for r in receiver.received] == [named.split("/")[2]]
    assert [d["status"] for d in _deliveries(svc)] == ["delivered"]


def test_a_delivery_that_reaches_no_server_says_nothing_of_ports(
        sqlite_services: Services) -> None:
    svc = sqlite_services
    supervisor = svc.users.add("Supervisor", "supervisor", "Malmö")
    with socket.socket() as closed:  # bound, not listening: connecting is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        _one_alert_by_webhook(svc, supervisor.user_id, f"http://127.0.0.1:{port}/hook")
        WebhookSender(svc.db, allow_private=True).step()
    assert [(d["status"], d["error"]) for d in _deliveries(svc)] == [("pending", UNREACHABLE)]


def test_which_addresses_are_public() -> None:
    public = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"]
    assert [is_public(ipaddress.ip_address(a)) for a in public] == [True] * 3
    private = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254",
               "100.64.0.1", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "0.0.0.0",
               "224.0.0.1"]
    assert [is_public(ipaddress.ip_address(a)) for a in private] == [False] * len(private)
