"""The web pages in process, on both stores: signing in, sessions and CSRF, and what the
forms record. (The browser tests drive the same pages in Chromium.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.support.readside import follow
from vaka.bootstrap import Services
from web.app import create_app
from web.context import SESSION_COOKIE

PASSWORD = "ett långt lösenord 2026"


@pytest.fixture
def app(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services), follow_redirects=False) as client:
        yield client


def _person(services: Services, name: str, role: str, municipality: str | None = "Malmö"
            ) -> str:
    email = name.split()[0].lower() + "@example.org"
    user = services.users.add(name, role, municipality, email)
    services.sessions.set_password(user.user_id, PASSWORD)
    return email


class Browser:
    """A signed-in person's tab, reading pages in English (the catalogue's other language)."""

    def __init__(self, app: TestClient, email: str) -> None:
        self.app = app
        self.app.cookies.clear()  # another person, another browser
        self.app.cookies.set("vaka_lang", "en")
        form = app.get("/logga-in").text
        token = re.search(r'name="login_csrf" value="([^"]+)"', form)
        assert token, form
        done = app.post("/logga-in", data={"email": email, "password": PASSWORD,
                                            "login_csrf": token.group(1), "next": "/"})
        assert done.status_code == 303, done.text
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', app.get("/inkorg").text).group(1)  # type: ignore[union-attr]

    def get(self, path: str) -> str:
        response = self.app.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.text

    def post(self, path: str, **form: object) -> object:
        return self.app.post(path, data={"csrf": self.csrf, **form})


@pytest.fixture
def sara(services: Services, app: TestClient) -> Browser:
    return Browser(app, _person(services, "Sara Lind", "caseworker"))


def _register(sara: Browser, **extra: str) -> str:
    done = sara.post("/barn/ny", arrived_at="2026-11-20T09:30", date_of_birth="2011-04-02",
                     date_of_birth_basis="stated", given_name="Amina", family_name="Rahimi",
                     idempotency_key="reg-1", **extra)
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    return str(done.headers["location"]).split("/")[2].split("?")[0]  # type: ignore[attr-defined]


def test_a_page_asks_to_sign_in_and_comes_back_after(services: Services, app: TestClient) -> None:
    response = app.get("/mina-barn")
    assert response.status_code == 303
    assert response.headers["location"] == "/logga-in?next=/mina-barn"


def test_a_wrong_password_is_refused_and_no_session_is_made(
        services: Services, app: TestClient) -> None:
    email = _person(services, "Sara Lind", "caseworker")
    token = re.search(r'name="login_csrf" value="([^"]+)"', app.get("/logga-in").text)
    response = app.post("/logga-in", data={"email": email, "password": "wrong password!",
                                           "login_csrf": token.group(1)})  # type: ignore[union-attr]
    assert response.status_code == 401
    assert SESSION_COOKIE not in response.cookies


def test_the_session_cookie_is_httponly_and_samesite_and_ends_with_sign_out(
        services: Services, app: TestClient) -> None:
    sara = Browser(app, _person(services, "Sara Lind", "caseworker"))
    cookie = next(c for c in app.cookies.jar if c.name == SESSION_COOKIE)
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert sara.post("/logga-ut").status_code == 303  # type: ignore[attr-defined]
    app.cookies.set(SESSION_COOKIE, cookie.value or "")
    assert app.get("/mina-barn").status_code == 303  # the old session no longer works


def test_a_form_without_the_sessions_csrf_token_is_refused_and_records_nothing(
        services: Services, app: TestClient, sara: Browser) -> None:
    response = app.post("/barn/ny", data={"arrived_at": "2026-11-20T09:30",
                                          "date_of_birth": "2011-04-02",
                                          "date_of_birth_basis": "stated"})
    assert response.status_code == 403
    assert services.case_file.recorder.max_notification_id() in (None, 0)


def test_a_sign_in_never_sends_the_browser_elsewhere(services: Services, app: TestClient) -> None:
    email = _person(services, "Sara Lind", "caseworker")
    token = re.search(r'name="login_csrf" value="([^"]+)"', app.get("/logga-in").text)
    done = app.post("/logga-in", data={"email": email, "password": PASSWORD,
                                       "login_csrf": token.group(1),  # type: ignore[union-attr]
                                       "next": "//evil.example/phish"})
    assert done.headers["location"] == "/"


def test_registering_a_child_makes_me_its_caseworker_and_reads_local_time(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    page = sara.get(f"/barn/{child}")
    assert "Amina Rahimi" in page and "Sara Lind" in page
    case = services.case_file.get_case(UUID(child))
    assert case.entries[0].fact.arrived_at == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert case.state.caseworker_id is not None


def test_a_disappearance_recorded_on_the_form_starts_the_police_report_clock(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    last_seen = datetime.now(UTC).astimezone(services.policy.timezone) - timedelta(hours=2)
    done = sara.post(f"/barn/{child}/handelse/ReportedMissing",
                     last_seen_at=last_seen.strftime("%Y-%m-%dT%H:%M"), place="Skolgården",
                     seen_by="läraren", idempotency_key="missing-1")
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    result = sara.get(done.headers["location"])  # type: ignore[attr-defined]
    assert "Clocks started" in result and "Police report" in result
    child_page = sara.get(f"/barn/{child}")
    assert "Missing" in child_page and "2 hours ago" in child_page


def test_a_form_posted_twice_records_once(services: Services, sara: Browser) -> None:
    child = _register(sara)
    for _ in range(2):
        sara.post(f"/barn/{child}/handelse/GuardianAppointed", name="Eva Holm",
                  idempotency_key="same-form")
    types = [e.event_type for e in services.case_file.get_case(UUID(child)).entries]
    assert types.count("GuardianAppointed") == 1


def test_a_refused_field_is_named_on_the_form_and_nothing_is_recorded(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    before = services.case_file.get_case(UUID(child)).version
    refused = sara.post(f"/barn/{child}/handelse/ReportedMissing", last_seen_at="",
                        place="x", seen_by="y")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'id="f-last_seen_at-error"' in refused.text  # type: ignore[attr-defined]
    assert services.case_file.get_case(UUID(child)).version == before


def test_an_information_talk_without_the_god_man_says_why_it_met_nothing(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    done = sara.post(f"/barn/{child}/handelse/TalkHeld", kind="information")
    result = sara.get(done.headers["location"])  # type: ignore[attr-defined]
    assert "god man" in result


def test_a_correction_shows_in_the_history_as_a_correction(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    form = sara.get(f"/barn/{child}/handelse/Corrected?entry=1")
    assert 'name="new_given_name"' in form
    done = sara.post(f"/barn/{child}/handelse/Corrected", entry="1", new_given_name="Aminah",
                     new_family_name="Rahimi", new_arrived_at="2026-11-20T09:30",
                     new_date_of_birth="2011-04-02", new_date_of_birth_basis="stated",
                     new_municipality="Malmö", reason="stavfel i förnamnet")
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    page = sara.get(f"/barn/{child}")
    assert "corrected by entry" in page and "Aminah" in page
    last = services.case_file.get_case(UUID(child)).entries[-1]
    assert last.fact.fields == {"given_name": "Aminah"}  # only what changed


def test_a_child_is_found_by_name_on_the_search_page(services: Services, sara: Browser) -> None:
    child = _register(sara)
    follow(services)
    assert f"/barn/{child}" in sara.get("/barn?q=amina")
    assert "No child matches" in sara.get("/barn?q=nobody")


def test_a_supervisor_sees_the_missing_child_in_the_overview_and_its_live_content(
        services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    sara.post(f"/barn/{child}/handelse/ReportedMissing",
              last_seen_at=(datetime.now(UTC).astimezone(services.policy.timezone)
                            - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
              place="x", seen_by="y")
    follow(services)
    jonas = Browser(app, _person(services, "Jonas Berg", "supervisor"))
    overview = jonas.get("/oversikt/innehall")
    assert f"/barn/{child}" in overview and "Sara Lind" in overview
    csv = app.get("/statistik.csv")
    assert csv.status_code == 200 and csv.text.startswith("figure,key,measure,value")


def test_a_supervisor_moves_a_leaving_caseworkers_children(
        services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    omar = services.users.add("Omar Haddad", "caseworker", "Malmö")
    follow(services)
    jonas = Browser(app, _person(services, "Jonas Berg", "supervisor"))
    leaving = services.case_file.get_case(UUID(child)).state.caseworker_id
    done = jonas.post(f"/personal/{leaving}/avaktivera", reassign_to=omar.user_id)
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    assert services.case_file.get_case(UUID(child)).state.caseworker_id == omar.user_id


def test_a_deactivated_persons_session_ends_at_once(services: Services, app: TestClient) -> None:
    email = _person(services, "Sara Lind", "caseworker")
    Browser(app, email)
    user = services.users.by_email(email)
    assert user is not None
    services.users.deactivate(user.user_id)
    assert app.get("/mina-barn").status_code == 303


# ---- staff: who may deactivate and reactivate whom ----

def _staff_forms(page: str) -> set[str]:
    """The user ids the staff page offers to deactivate or reactivate."""
    return set(re.findall(r'action="/personal/([^/"]+)/(?:avaktivera|aktivera)"', page))


def test_a_supervisors_staff_page_offers_only_its_caseworkers(
        services: Services, app: TestClient) -> None:
    _person(services, "Sara Lind", "caseworker")
    sara = services.users.by_email("sara@example.org")
    head = services.users.add("Hedda Chef", "head_of_unit", "Malmö")
    jonas = Browser(app, _person(services, "Jonas Berg", "supervisor"))
    me = services.users.by_email("jonas@example.org")
    assert sara is not None and me is not None
    offered = _staff_forms(jonas.get("/personal"))
    assert sara.user_id in offered and head.user_id not in offered and me.user_id not in offered


def test_a_supervisor_cannot_deactivate_its_head_of_unit_from_the_page(
        services: Services, app: TestClient) -> None:
    head = services.users.add("Hedda Chef", "head_of_unit", "Malmö")
    jonas = Browser(app, _person(services, "Jonas Berg", "supervisor"))
    app.cookies.set("vaka_lang", "sv")
    refused = jonas.post(f"/personal/{head.user_id}/avaktivera")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "kan bara inaktivera och återaktivera socialsekreterare" in refused.text  # type: ignore[attr-defined]
    found = services.users.get(head.user_id)
    assert found is not None and found.active


def test_a_head_of_unit_deactivates_and_reactivates_a_supervisor_on_the_page(
        services: Services, app: TestClient) -> None:
    supervisor = services.users.add("Jonas Berg", "supervisor", "Malmö")
    hedda = Browser(app, _person(services, "Hedda Chef", "head_of_unit"))
    assert 'href="/personal"' in hedda.get("/inkorg")
    assert supervisor.user_id in _staff_forms(hedda.get("/personal"))
    done = hedda.post(f"/personal/{supervisor.user_id}/avaktivera")
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    assert not services.users.get(supervisor.user_id).active  # type: ignore[union-attr]
    page = hedda.get("/personal")
    assert f'action="/personal/{supervisor.user_id}/aktivera"' in page
    again = hedda.post(f"/personal/{supervisor.user_id}/aktivera")
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert services.users.get(supervisor.user_id).active  # type: ignore[union-attr]


def test_the_last_head_of_unit_is_refused_on_the_page_without_a_successor(
        services: Services, app: TestClient) -> None:
    head = services.users.add("Hedda Chef", "head_of_unit", "Malmö")
    supervisor = services.users.add("Jonas Berg", "supervisor", "Malmö")
    admin = Browser(app, _person(services, "Alva Admin", "admin", None))
    app.cookies.set("vaka_lang", "sv")
    refused = admin.post(f"/personal/{head.user_id}/avaktivera", successor="")
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert "sista aktiva avdelningschef" in refused.text  # type: ignore[attr-defined]
    done = admin.post(f"/personal/{head.user_id}/avaktivera", successor=supervisor.user_id)
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert services.users.get(supervisor.user_id).role == "head_of_unit"  # type: ignore[union-attr]


# ---- corrections and municipalities on the forms ----

def test_a_caseworker_of_another_municipality_cannot_be_corrected_in_on_the_form(
        services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    lena = services.users.add("Lena Ek", "caseworker", "Lund")
    assigned = next(e.seq for e in services.case_file.get_case(UUID(child)).entries
                    if e.event_type == "CaseworkerAssigned")
    before = services.case_file.get_case(UUID(child)).version
    app.cookies.set("vaka_lang", "sv")
    refused = sara.post(f"/barn/{child}/handelse/Corrected", entry=str(assigned),
                        new_caseworker_id=lena.user_id, reason="fel handläggare")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "pekar inte på någon aktiv socialsekreterare i barnets kommun" in refused.text  # type: ignore[attr-defined]
    assert services.case_file.get_case(UUID(child)).version == before


def test_a_municipality_typed_wrongly_is_refused_in_swedish_with_the_nearest_name(
        services: Services, app: TestClient, sara: Browser) -> None:
    child = _register(sara)
    app.cookies.set("vaka_lang", "sv")
    refused = sara.post(f"/barn/{child}/handelse/ResponsibilityTransferred",
                        to="municipality", municipality="Malmoe")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "är ingen kommun i Sverige; menade du Malmö?" in refused.text  # type: ignore[attr-defined]


def test_a_transfer_form_offers_swedens_municipalities_in_swedish_order(
        services: Services, sara: Browser) -> None:
    child = _register(sara)
    form = sara.get(f"/barn/{child}/handelse/ResponsibilityTransferred")
    offered = re.findall(r'<option value="([^"]+)"[^>]*>\1</option>',
                         form.split('name="municipality"')[1].split("</select>")[0])
    assert len(offered) == 290
    assert offered[0] == "Ale" and offered[-3:] == ["Östra Göinge", "Överkalix", "Övertorneå"]
    assert offered.index("Åre") < offered.index("Älmhult") < offered.index("Öckerö")
