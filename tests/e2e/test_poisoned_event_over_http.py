"""One bad event in the store never silences the alarms: through `vaka run`, on both stores.

The bad entry is written straight into the case file while Vaka runs, as an older version
of Vaka could have written it. Another child then goes missing and must reach the
supervisor within seconds; the admin sees the set-aside event, corrects the case and
retries it, all through the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from domain.entries import Actor
from tests.e2e.conftest import People
from tests.support.stack import Api, Stack
from vaka.bootstrap import build
from vaka.config import Settings

pytestmark = [pytest.mark.temporal]


@pytest.fixture(params=["sqlite", "postgres"])
def any_stack(request: pytest.FixtureRequest, tmp_path: Path, mail) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    running = Stack(tmp_path / "data", url, smtp_port=mail[1])
    running.start()
    yield running
    running.stop()
    assert running.unexpected_exits() == [], "a Vaka process died on its own"


def _register(api: Api) -> str:
    response = api.post("/children", {
        "arrived_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        "date_of_birth": "2012-06-01", "date_of_birth_basis": "stated",
        "municipality": "Malmö"})
    assert response.status_code == 201, response.text
    return str(response.json()["child_id"])


def _poison_municipality(stack: Stack, child_id: str) -> int:
    settings = Settings(data_dir=Path(stack.env["VAKA_DATA_DIR"]),
                        database_url=stack.env.get("VAKA_DATABASE_URL"),
                        cipher_key=stack.env.get("VAKA_CIPHER_KEY"))
    services = build(settings)
    try:
        case = services.case_file.get_case(UUID(child_id))
        entry = case.record("MunicipalityAssigned", {"municipality": "Malmö\u0000"},
                            datetime.now(UTC), Actor("old-client", "caseworker"), None, None)
        services.case_file.save(case)
        return entry.seq
    finally:
        services.close()


def test_a_poisoned_event_in_the_store_does_not_stop_another_childs_alarm(
        any_stack: Stack) -> None:
    people = People(any_stack)
    admin = Api(any_stack.url, any_stack.cli("user", "add", "--name", "Admin", "--role",
                                             "admin", "--token").splitlines()[1])
    poisoned = _register(people.caseworker)
    bad_entry = _poison_municipality(any_stack, poisoned)

    other = _register(people.caseworker)
    last_seen = datetime.now(UTC) - timedelta(hours=1)
    reported = people.caseworker.post(f"/children/{other}/events", {
        "type": "ReportedMissing", "last_seen_at": last_seen.isoformat(),
        "place": "skolgården", "seen_by": "läraren"})
    assert reported.status_code == 201, reported.text

    people.supervisor.poll("/notifications", lambda page: any(
        n["child_id"] == other and n["kind"] == "missing" for n in page["items"]), timeout=10)
    people.supervisor.poll("/overview/missing", lambda page: any(
        c["child_id"] == other for c in page["items"]), timeout=10)

    page = admin.poll("/admin/quarantine", lambda p: any(
        q["child_id"] == poisoned and q["follower"] == "projector" for q in p["items"]))
    item = next(q for q in page["items"] if q["follower"] == "projector")
    assert (item["entry"], item["event_type"]) == (bad_entry, "MunicipalityAssigned")
    assert any(n["kind"] == "quarantine" and n["urgent"] for n in admin.poll(
        "/notifications", lambda p: bool(p["items"]))["items"])

    corrected = admin.post(f"/children/{poisoned}/events", {
        "type": "Corrected", "entry": bad_entry, "fields": {"municipality": "Malmö"},
        "reason": "ett kontrolltecken från en gammal klient"})
    assert corrected.status_code == 201, corrected.text
    retried = admin.client.post(f"/admin/quarantine/projector/{item['position']}/retry")
    assert retried.status_code == 202, retried.text
    admin.poll("/admin/quarantine", lambda p: all(
        q["status"] == "resolved" for q in p["items"] if q["follower"] == "projector"))
    assert people.caseworker.get(f"/children/{poisoned}").status_code == 200
    stages = people.supervisor.poll("/overview/stages", lambda rows: sum(
        r["children"] for r in rows) == 2)
    assert stages == [{"stage": "arrived", "children": 2}]
