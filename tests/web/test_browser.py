"""The pages in a real browser: Chromium driving Vaka as `vaka run` starts it, in Swedish
and in Stockholm time, checked for accessibility (axe-core, WCAG 2.1 AA) and for never
asking any host but Vaka."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.web.conftest import (
    Site,
    Visit,
    screenshot,
    serious_accessibility_problems,
    sign_in,
)

pytestmark = [pytest.mark.temporal, pytest.mark.browser]
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _local(instant: datetime) -> str:
    return instant.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


def _token(site: Site, who: str) -> str:
    out = subprocess.run([sys.executable, "-m", "vaka.cli", "token", site.people[who].user_id],
                         env=site.stack.env, check=True, capture_output=True, text=True,
                         timeout=60)
    return out.stdout.strip()


def _register(visit: Visit, site: Site, given: str) -> str:
    page = visit.page
    page.goto(f"{site.url}/barn/ny")  # type: ignore[attr-defined]
    page.get_by_label("Ankomst").fill(_local(datetime.now(UTC) - timedelta(days=1)))  # type: ignore[attr-defined]
    page.get_by_label("Födelsedatum").fill("2011-04-02")  # type: ignore[attr-defined]
    page.get_by_label("Förnamn").fill(given)  # type: ignore[attr-defined]
    page.get_by_label("Efternamn").fill("Rahimi")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Registrera", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/barn/[0-9a-f-]{36}"))  # type: ignore[attr-defined]
    return str(page.url.split("/barn/")[1].split("?")[0])  # type: ignore[attr-defined]


def test_a_caseworker_registers_a_child_reports_it_missing_and_sees_the_police_report_due(
        visit: Visit, site: Site) -> None:
    page = visit.page
    sign_in(visit, site, "sara")
    child = _register(visit, site, "Amina")
    assert page.get_by_text("Sara Lind").first.is_visible()  # type: ignore[attr-defined]
    screenshot(visit, "barnet")

    page.get_by_role("link", name="Registrera händelse").click()  # type: ignore[attr-defined]
    page.get_by_role("link", name="Anmäld försvunnen").click()  # type: ignore[attr-defined]
    last_seen = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
    page.get_by_label("Senast sedd").fill(_local(last_seen))  # type: ignore[attr-defined]
    page.get_by_label("Plats där barnet sågs senast").fill("Skolgården")  # type: ignore[attr-defined]
    page.get_by_label("Sedd av").fill("Läraren")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Spara").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/handelse/resultat/"))  # type: ignore[attr-defined]
    assert "Polisanmälan" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    screenshot(visit, "sparad-handelse")

    page.goto(f"{site.url}/barn/{child}")  # type: ignore[attr-defined]
    banner = page.locator(".missing-banner").inner_text()  # type: ignore[attr-defined]
    assert "Försvunnen" in banner and "2 timmar sedan" in banner
    due = (last_seen + timedelta(hours=24)).astimezone(STOCKHOLM)
    row = page.locator("tr", has_text="Polisanmälan").first.inner_text()  # type: ignore[attr-defined]
    # Tomorrow, or today when the child was last seen before midnight in Stockholm.
    day = "i dag" if due.date() == datetime.now(STOCKHOLM).date() else "i morgon"
    assert f"{day} {due:%H:%M}" in row, row
    assert re.search(r"om 2[12] h", row), row
    screenshot(visit, "forsvunnet-barn")


def test_the_overview_shows_the_missing_child_and_then_the_miss_without_a_reload(
        visit: Visit, site: Site) -> None:
    api = httpx.Client(base_url=site.url, headers={
        "Authorization": f"Bearer {_token(site, 'omar')}"}, timeout=30)
    child = api.post("/children", json={
        "arrived_at": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
        "date_of_birth": "2010-06-01", "date_of_birth_basis": "stated",
        "municipality": "Malmö", "given_name": "Yusuf"}).json()["child_id"]
    last_seen = datetime.now(UTC) - timedelta(hours=24) + timedelta(seconds=25)
    reported = api.post(f"/children/{child}/events", json={
        "type": "ReportedMissing", "last_seen_at": last_seen.isoformat(), "place": "Hemmet",
        "seen_by": "Personalen"})
    assert reported.status_code == 201, reported.text

    page = visit.page
    sign_in(visit, site, "jonas")
    page.goto(f"{site.url}/oversikt")  # type: ignore[attr-defined]
    page.wait_for_selector(f"#overview a[href='/barn/{child}']")  # type: ignore[attr-defined]
    page.evaluate("window.notReloaded = true")  # type: ignore[attr-defined]
    screenshot(visit, "oversikt")
    missed = page.locator("#overview table[aria-labelledby='h-missed']")  # type: ignore[attr-defined]
    missed.get_by_text("Polisanmälan").wait_for(timeout=90_000)
    assert page.evaluate("window.notReloaded") is True  # type: ignore[attr-defined]
    assert f"/barn/{child}" in missed.inner_html()


def test_a_correction_shows_in_the_history(visit: Visit, site: Site) -> None:
    page = visit.page
    sign_in(visit, site, "sara")
    child = _register(visit, site, "Zahra")
    page.goto(f"{site.url}/barn/{child}/handelse/Corrected?entry=1")  # type: ignore[attr-defined]
    page.get_by_label("Förnamn").fill("Zahraa")  # type: ignore[attr-defined]
    page.get_by_label("Skäl eller anteckning").fill("Stavfel i förnamnet")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Spara").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/handelse/resultat/"))  # type: ignore[attr-defined]
    page.goto(f"{site.url}/barn/{child}")  # type: ignore[attr-defined]
    history = page.locator("ol.timeline").inner_text()  # type: ignore[attr-defined]
    assert "rättad genom händelse" in history.lower() and "Zahraa" in history
    assert page.locator("h1").inner_text() == "Zahraa Rahimi"  # type: ignore[attr-defined]


def test_an_event_form_can_be_filled_in_with_the_keyboard_alone(visit: Visit, site: Site) -> None:
    page = visit.page
    sign_in(visit, site, "sara")
    child = _register(visit, site, "Nour")
    page.goto(f"{site.url}/barn/{child}/handelse/GuardianAppointed")  # type: ignore[attr-defined]
    page.locator("main").focus()  # type: ignore[attr-defined]
    keyboard = page.keyboard  # type: ignore[attr-defined]
    for _ in range(12):  # Tab until the first field of the form has the focus
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-name":  # type: ignore[attr-defined]
            break
    assert page.evaluate("document.activeElement.id") == "f-name"  # type: ignore[attr-defined]
    keyboard.type("Eva Holm")
    keyboard.press("Tab")
    keyboard.type("eva.holm@example.org")
    focused = ""
    for _ in range(30):  # on to the save button (a date-time input has a stop per part)
        keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")  # type: ignore[attr-defined]
        if focused == "Spara":
            break
    assert focused == "Spara"
    keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/handelse/resultat/"))  # type: ignore[attr-defined]
    assert "God man utsedd" in page.locator("main").inner_text()  # type: ignore[attr-defined]


PAGES = {
    "sara": ["/mina-barn", "/barn", "/barn?q=amina", "/barn/ny", "/inkorg",
             "{child}", "{child}/handelse", "{child}/handelse/TalkHeld",
             "{child}/handelse/RiskAssessed", "{child}/handelse/Corrected?entry=1",
             "{child}/polisinformation"],
    "jonas": ["/oversikt", "/statistik", "/personal", "/inkorg"],
    "admin": ["/admin/karantan", "/barn"],
    "greta": ["/granskning", "/granskning?barn=fel&fran=2026-13-01"],
}


def test_every_page_meets_wcag_2_1_aa_and_asks_no_other_host(visit: Visit, site: Site) -> None:
    page = visit.page
    page.goto(f"{site.url}/logga-in")  # type: ignore[attr-defined]
    problems = {"/logga-in": serious_accessibility_problems(page)}
    sign_in(visit, site, "sara")
    child = "/barn/" + _register(visit, site, "Amina")
    for who, paths in PAGES.items():
        if who != "sara":
            page.context.clear_cookies()  # type: ignore[attr-defined]
            sign_in(visit, site, who)
        for path in paths:
            page.goto(site.url + path.format(child=child))  # type: ignore[attr-defined]
            problems[path] = serious_accessibility_problems(page)
            name = {"/mina-barn": "mina-barn", "/oversikt": "oversikt-tom", "/statistik":
                    "statistik", "{child}/handelse/TalkHeld": "handelseformular",
                    "/inkorg": f"inkorg-{who}"}.get(path)
            if name:
                screenshot(visit, name)
    assert {path: found for path, found in problems.items() if found} == {}
    hosts = {re.sub(r"^https?://([^/]+).*$", r"\1", url) for url in visit.requests}
    assert hosts == {site.url.split("//")[1]}
