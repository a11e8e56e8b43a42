"""Browser tests: Vaka as `vaka run` starts it, driven in Debian's Chromium by Playwright.

Chromium comes from the system (apt's `chromium`), never downloaded: Playwright launches it
by its path. Every request the pages make is recorded, and any to a host other than
Vaka's is blocked and reported.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import need
from tests.support.stack import Stack

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--lang=sv-SE"]
PASSWORD = "ett långt lösenord 2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        need("Chromium is not installed (apt-get install chromium)")
    return str(found)


@dataclass
class Person:
    name: str
    email: str
    user_id: str


@dataclass
class Site:
    stack: Stack
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.stack.url

    def add(self, key: str, name: str, role: str, municipality: str | None = "Malmö") -> Person:
        email = f"{key}@example.org"
        args = ["user", "add", "--name", name, "--role", role, "--email", email,
                "--password-stdin"]
        if municipality:
            args += ["--municipality", municipality]
        out = subprocess.run([sys.executable, "-m", "vaka.cli", *args], env=self.stack.env,
                             input=PASSWORD + "\n", check=True, capture_output=True, text=True,
                             timeout=60)
        person = Person(name, email, out.stdout.split()[0])
        self.people[key] = person
        return person


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("web") / "data"
    stack = Stack(data, None)
    stack.start()
    running = Site(stack)
    running.add("sara", "Sara Lind", "caseworker")
    running.add("omar", "Omar Haddad", "caseworker")
    running.add("jonas", "Jonas Berg", "supervisor")
    running.add("admin", "Alva Admin", "admin", None)
    running.add("greta", "Greta Granskare", "auditor", None)
    yield running
    stack.stop()
    assert stack.unexpected_exits() == [], "a Vaka process died on its own"


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    page: object
    requests: list[str]
    blocked: list[str]


@pytest.fixture
def visit(browser: object, site: Site) -> Iterator[Visit]:
    """A fresh browser context in Stockholm, Swedish; requests recorded, others blocked."""
    own = urlsplit(site.url).netloc
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm",  # type: ignore[attr-defined]
                                  viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    blocked: list[str] = []

    def route(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        if urlsplit(url).netloc == own:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.set_default_timeout(15_000)
    yield Visit(page, requests, blocked)
    context.close()
    assert blocked == [], f"pages asked for other hosts: {blocked}"


def sign_in(visit: Visit, site: Site, who: str) -> None:
    page = visit.page
    page.goto(f"{site.url}/logga-in")  # type: ignore[attr-defined]
    page.get_by_label("E-postadress").fill(site.people[who].email)  # type: ignore[attr-defined]
    page.get_by_label("Lösenord").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Logga in").click()  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: "/logga-in" not in url)  # type: ignore[attr-defined]


def serious_accessibility_problems(page: object) -> list[str]:
    """axe-core (WCAG 2.0/2.1 A and AA) on the page: the serious and critical findings."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


def screenshot(visit: Visit, name: str) -> None:
    """Kept for the README when VAKA_SCREENSHOTS is set."""
    import os

    if os.environ.get("VAKA_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
