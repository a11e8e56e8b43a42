"""Two instances of a follower: one is active, the other takes over when the active one
stops renewing, and an old holder that resumes late cannot write anything."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.casefile import now, register_child, report_missing
from tests.support.readside import drain, rows
from vaka.bootstrap import Services
from vaka.readside.leases import Lease, LeaseLost, holdings
from vaka.readside.tracking import position

TTL = timedelta(seconds=5)


class Clock:
    """Each instance's own clock, moved by the test: no waiting for a lease to run out."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by


def lease(services: Services, follower: str, clock: Callable[[], datetime]) -> Lease:
    return Lease(services.db, follower, TTL, clock=clock)


def test_of_two_instances_only_one_holds_the_lease(services: Services) -> None:
    clock = Clock()
    first, second = lease(services, "projector", clock), lease(services, "projector", clock)
    assert first.acquire_or_renew()
    assert not second.acquire_or_renew()
    clock.advance(TTL / 2)
    assert first.acquire_or_renew()  # renewing keeps it
    clock.advance(TTL / 2 + timedelta(seconds=1))
    assert not second.acquire_or_renew()  # renewed half a TTL ago: still first's
    assert holdings(services.db)["projector"].holder == first.holder


def test_a_standby_takes_over_once_the_active_instance_stops_renewing(
        services: Services) -> None:
    clock = Clock()
    first, second = lease(services, "relay", clock), lease(services, "relay", clock)
    first.acquire_or_renew()
    second.acquire_or_renew()
    clock.advance(TTL + timedelta(milliseconds=1))  # first was killed: no more renewals
    assert second.acquire_or_renew()
    held = holdings(services.db)["relay"]
    assert (held.holder, held.epoch) == (second.holder, first.epoch + 1)  # type: ignore[operator]
    assert not first.acquire_or_renew()  # it comes back as a standby


def test_a_released_lease_passes_to_a_standby_at_once(services: Services) -> None:
    clock = Clock()
    first, second = lease(services, "notifier", clock), lease(services, "notifier", clock)
    first.acquire_or_renew()
    first.release()
    assert second.acquire_or_renew()


def test_leases_of_different_followers_are_independent(services: Services) -> None:
    clock = Clock()
    assert lease(services, "projector", clock).acquire_or_renew()
    assert lease(services, "notifier", clock).acquire_or_renew()


def test_a_paused_holder_that_resumes_after_a_takeover_commits_nothing(
        services: Services) -> None:
    """The active projector read and prepared a batch, then froze (a long GC, a stopped
    VM) past its lease, and a standby took over. When the old one resumes, its write is
    refused whole, and the new holder applies the batch once."""
    clock = Clock()
    children = [register_child(services.case_file) for _ in range(3)]
    for child_id in children:
        report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    paused, standby = services.projector(), services.projector()
    paused.lease = paused_lease = lease(services, "projector", clock)
    standby.lease = standby_lease = lease(services, "projector", clock)
    paused_lease.acquire_or_renew()
    prepare = paused.prepare

    def prepare_then_freeze(changes, isolated=False):  # type: ignore[no-untyped-def]
        prepared = prepare(changes, isolated)
        clock.advance(TTL * 2)
        assert standby_lease.acquire_or_renew()
        return prepared

    paused.prepare = prepare_then_freeze  # type: ignore[method-assign]
    with pytest.raises(LeaseLost):
        paused.step()
    assert not paused_lease.held
    assert position(services.db, "projector") == 0
    assert rows(services, "SELECT child_id FROM children") == []

    drain(standby.step)
    written = rows(services, "SELECT child_id FROM children")
    assert sorted(r["child_id"] for r in written) == sorted(str(c) for c in children)


def test_a_follower_under_a_lease_it_holds_applies_every_event_once(
        services: Services) -> None:
    children = [register_child(services.case_file) for _ in range(4)]
    for child_id in children:
        report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    projector = services.projector(batch_size=3)
    projector.lease = held = lease(services, "projector", Clock())
    held.acquire_or_renew()
    drain(projector.step)
    counts = rows(services, "SELECT child_id, COUNT(*) AS n FROM clocks"
                  " WHERE rule_id = 'missing.police_report' GROUP BY child_id")
    assert sorted(r["child_id"] for r in counts) == sorted(str(c) for c in children)
    assert {r["n"] for r in counts} == {1}



def test_of_standbys_asking_at_the_same_moment_exactly_one_takes_over(
        services: Services) -> None:
    clock = Clock()
    lease(services, "relay", clock).acquire_or_renew()
    clock.advance(TTL * 2)  # the holder died
    standbys = [lease(services, "relay", clock) for _ in range(6)]
    start = threading.Barrier(len(standbys))

    def ask(standby: Lease) -> bool:
        start.wait()
        return standby.acquire_or_renew()

    with ThreadPoolExecutor(len(standbys)) as pool:
        won = list(pool.map(ask, standbys))
    assert won.count(True) == 1
    assert holdings(services.db)["relay"].holder == standbys[won.index(True)].holder
