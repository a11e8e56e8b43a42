"""High availability of the alarm path: `vaka run` with two instances of each follower;
under load, the active relay, projector and notifier are killed with SIGKILL. A standby
takes each over within seconds, and nothing is lost or doubled: every event reaches its
journey and the read models, every disappearance tells its people, and every e-mail
arrives, no delivery sent by two senders.

The figures are printed (pytest -s shows them); bench/failover.py runs the same by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.failover import Figures, run
from tests.e2e.conftest import People
from tests.support.smtp import smtp_server
from tests.support.stack import Stack
from vaka.readside.db import Database

pytestmark = [pytest.mark.temporal]

LEASE_SECONDS = 5.0  # the default VAKA_FOLLOWER_LEASE_SECONDS


@pytest.fixture(params=["postgres", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return None


@pytest.fixture
def figures(tmp_path: Path, database_url: str | None) -> Iterator[tuple[Figures, Stack]]:
    data = tmp_path / "data"
    with smtp_server() as (inbox, port):
        stack = Stack(data, database_url, smtp_port=port)
        stack.env["VAKA_FOLLOWER_INSTANCES"] = "2"
        # Eight clients write with one token, far faster than a person: no rate limit.
        stack.env["VAKA_WRITES_PER_MINUTE"] = "0"
        # A killed sender's e-mail in hand goes out again after this; the default minute
        # would only make the test wait.
        stack.env["VAKA_DELIVERY_LEASE_SECONDS"] = "10"
        stack.start()
        db = (Database(postgres_url=database_url) if database_url
              else Database(sqlite_path=data / "vaka.sqlite"))
        try:
            people = People(stack)
            token = people.caseworker.client.headers["Authorization"].split()[-1]
            result = run(stack.url, token, people.caseworker_id, db, stack.log,
                         f"127.0.0.1:{stack.temporal_port}",
                         lambda: [m["Message-ID"] for m in list(inbox.messages)])
            # The deaths the test caused, by process role (notifier and tally share the
            # projector's process), so that only others count as unexpected exits.
            for _pid, role in {(t.old_pid, "relay" if t.follower == "relay" else "projector")
                               for t in result.takeovers}:
                stack.killed[role] += 1
            print(f"\nfailover ({'PostgreSQL' if database_url else 'SQLite'}): "
                  f"{result.summary()}")
            yield result, stack
        finally:
            db.close()
            stack.stop()
    assert stack.unexpected_exits() == [], "a Vaka process died on its own"


def test_killing_the_active_followers_under_load_loses_and_doubles_nothing(
        figures: tuple[Figures, Stack]) -> None:
    result, _ = figures
    # The tally shares the projector's process, so it is taken over with it.
    assert {t.follower for t in result.takeovers} >= {"relay", "projector", "notifier"}
    for takeover in result.takeovers:
        assert takeover.new_pid != takeover.old_pid
        # The lease runs out LEASE_SECONDS after the last renewal, and a standby asks
        # every second; the first batch then waits for the backlog the kill left.
        assert takeover.lease_seconds < LEASE_SECONDS + 3, takeover
        assert takeover.seconds < 30, takeover
    assert result.events > 100 and result.load_errors == 0
    assert (result.journeys_behind, result.read_models_behind, result.alerts_missing,
            result.emails_lost) == (0, 0, 0, 0)
    # No delivery was sent by two senders. A sender killed between the mail server's 250
    # and recording the delivery has that one mail sent again once its lease runs out,
    # under the same Message-ID (a mail client shows it once): at most one per kill.
    assert result.emails_doubled == 0
    sender_kills = len({t.old_pid for t in result.takeovers if t.follower != "relay"})
    assert result.emails_resent <= sender_kills
