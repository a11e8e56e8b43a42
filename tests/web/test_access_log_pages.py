"""The access log from the web pages, on both stores: every page that shows a child's data
logs the read; the auditor's page, in Swedish, lists who read what, when (Stockholm time)
and why, filtered and paged, with an export that is itself logged; nobody else opens it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from domain.references import case_reference
from tests.support.readside import follow, rows
from tests.web.test_pages import Browser, _person, _register
from vaka.bootstrap import Services
from vaka.readside.access_log import AccessLog, AccessQuery
from vaka.readside.paging import Window
from web.app import create_app


@pytest.fixture
def app(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services), follow_redirects=False) as client:
        yield client


@pytest.fixture
def sara(services: Services, app: TestClient) -> Browser:
    return Browser(app, _person(services, "Sara Lind", "caseworker"))


def _auditor(services: Services, app: TestClient) -> Browser:
    auditor = Browser(app, _person(services, "Greta Granskare", "auditor", None))
    app.cookies.set("vaka_lang", "sv")
    return auditor


def _logged(services: Services, user_id: str) -> list[tuple[str, str | None, str | None]]:
    return [(r["kind"], r["child_id"], r["subject"]) for r in rows(
        services, "SELECT kind, child_id, subject FROM access_log WHERE user_id = ?"
        " ORDER BY at", (user_id,))]


PAGES = [
    ("child", "/barn/{child}"),
    ("police_pack", "/barn/{child}/polisinformation"),
    ("child", "/barn/{child}/handelse"),
    ("child", "/barn/{child}/handelse/TalkHeld"),
    ("child", "/barn/{child}/handelse/resultat/2"),
    ("search", "/barn?q=Amina"),
    ("list", "/barn"),
    ("list", "/mina-barn"),
]


@pytest.mark.parametrize(("kind", "path"), PAGES)
def test_every_page_showing_a_child_logs_the_read(services: Services, sara: Browser,
                                                  kind: str, path: str) -> None:
    child = _register(sara)
    follow(services)
    me = services.users.by_email("sara@example.org")
    assert me is not None
    sara.get(path.format(child=child))
    assert _logged(services, me.user_id) == [(kind, child, None)]


def test_the_overview_logs_the_children_it_names_once_while_it_refreshes(
        services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    sara.post(f"/barn/{child}/handelse/ReportedMissing",
              last_seen_at=(datetime.now(UTC).astimezone(services.policy.timezone)
                            - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
              place="x", seen_by="y")
    follow(services)
    jonas = Browser(app, _person(services, "Jonas Berg", "supervisor"))
    jonas_id = services.users.by_email("jonas@example.org").user_id  # type: ignore[union-attr]
    jonas.get("/oversikt")
    for _ in range(3):
        jonas.get("/oversikt/innehall")  # the page keeping itself current
    assert _logged(services, jonas_id) == [("list", child, None)]


def test_the_figures_export_is_logged(services: Services, sara: Browser) -> None:
    me = services.users.by_email("sara@example.org")
    assert me is not None
    assert sara.app.get("/statistik.csv").status_code == 200
    assert _logged(services, me.user_id) == [("export", None, "figures")]


def test_the_auditor_sees_who_read_what_when_and_why_in_swedish_and_stockholm_time(
        services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    sara.get(f"/barn/{child}/polisinformation")
    greta = _auditor(services, app)
    assert app.get("/").headers["location"] == "/granskning"
    page = greta.get("/granskning")
    assert "<h1>Åtkomstlogg</h1>" in page and 'aria-current="page"' in page
    assert "Sara Lind" in page and "handläggning" in page
    assert "Läste polisinformationen" in page and case_reference(child) in page
    assert "Amina" not in page and "Rahimi" not in page
    [read] = AccessLog(services.db).entries(AccessQuery(case_reference(child)), Window(1)).items
    local = read.at.astimezone(services.policy.timezone)
    assert f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M:%S}</time>' in page


def test_the_auditor_filters_by_child_user_and_days(services: Services, app: TestClient,
                                                    sara: Browser) -> None:
    first = _register(sara)
    done = sara.post("/barn/ny", arrived_at="2026-11-21T10:00", date_of_birth="2012-05-03",
                     date_of_birth_basis="stated", given_name="Yusuf", idempotency_key="reg-2")
    second = str(done.headers["location"]).split("/")[2].split("?")[0]  # type: ignore[attr-defined]
    sara.get(f"/barn/{first}")
    sara.get(f"/barn/{second}/polisinformation")
    sara_id = services.users.by_email("sara@example.org").user_id  # type: ignore[union-attr]
    greta = _auditor(services, app)
    by_child = greta.get(f"/granskning?barn={case_reference(second).lower()}")
    assert case_reference(second) in by_child and case_reference(first) not in by_child
    assert "Läste polisinformationen" in by_child
    today = datetime.now(UTC).astimezone(services.policy.timezone).date()
    by_day = greta.get(f"/granskning?anvandare={sara_id}&fran={today}&till={today}")
    assert case_reference(first) in by_day and case_reference(second) in by_day
    before = greta.get(f"/granskning?fran=2020-01-01&till={today - timedelta(days=1)}")
    assert "Ingen läsning matchar." in before


def test_a_filter_that_makes_no_sense_is_said_next_to_its_field(
        services: Services, app: TestClient) -> None:
    _auditor(services, app)
    refused = app.get("/granskning?barn=Amina&fran=2026-11-30&till=2026-11-01")
    assert refused.status_code == 422
    assert re.search(r'id="barn-error">måste vara ett ärendenummer', refused.text)
    assert re.search(r'id="till-error">får inte ligga före', refused.text)


def test_the_log_is_paged(services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    for _ in range(101):
        sara.get(f"/barn/{child}/polisinformation")
    _auditor(services, app)
    first = app.get(f"/granskning?barn={case_reference(child)}").text
    assert first.count("Läste polisinformationen") == 100 and "Nästa sida" in first
    second = app.get(f"/granskning?barn={case_reference(child)}&offset=100").text
    assert "Föregående sida" in second and "Nästa sida" not in second
    assert second.count("Läste polisinformationen") == 1


def test_the_export_is_csv_and_is_itself_logged(services: Services, app: TestClient,
                                                sara: Browser) -> None:
    child = _register(sara)
    sara.get(f"/barn/{child}")
    _auditor(services, app)
    greta_id = services.users.by_email("greta@example.org").user_id  # type: ignore[union-attr]
    response = app.get(f"/granskning.csv?barn={case_reference(child)}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/csv")
    exported = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["kind"] for r in exported} == {"child"} and exported[0]["reference"] == \
        case_reference(child)
    assert _logged(services, greta_id) == [("export", None, "access_log")]


@pytest.mark.parametrize("path", ["/granskning", "/granskning.csv"])
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "admin"])
def test_nobody_but_an_auditor_opens_the_log(services: Services, app: TestClient, path: str,
                                             role: str) -> None:
    Browser(app, _person(services, "Nils Nyfiken", role, None if role == "admin" else "Malmö"))
    response = app.get(path, headers={"accept": "text/html"})
    assert response.status_code == 403
    assert "Åtkomstlogg" not in response.text and "Access log" not in response.text


def test_a_child_page_whose_read_cannot_be_logged_is_refused(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    with services.db.transaction() as tx:
        tx.execute("ALTER TABLE access_log RENAME TO access_log_away")
    response = sara.app.get(f"/barn/{child}", headers={"accept": "text/html"})
    assert response.status_code == 503
    assert "Amina" not in response.text
    assert "could not be logged" in response.text
