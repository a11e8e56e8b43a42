"""The case file on SQLite and PostgreSQL (every test runs on both): same behaviour."""

from __future__ import annotations

import threading
from datetime import timedelta

from domain.errors import VersionConflict
from tests.support.casefile import CASEWORKER, now, record_event, register_child, report_missing
from vaka.bootstrap import Services


def test_a_registered_child_reads_back_with_its_history(services: Services) -> None:
    child_id = register_child(services.case_file)
    report_missing(services.case_file, child_id, now() - timedelta(hours=2))
    case = services.case_file.get_case(child_id)
    assert [e.event_type for e in case.entries] == ["Registered", "ReportedMissing"]
    assert case.state.missing is not None


def test_the_case_file_is_encrypted_at_rest(services: Services) -> None:
    child_id = register_child(services.case_file, municipality="Skinnskatteberg")
    stored = services.case_file.recorder.select_notifications(start=1, limit=10)
    assert stored and all(b"Skinnskatteberg" not in n.state for n in stored)
    assert services.case_file.get_case(child_id).state.municipality == "Skinnskatteberg"


def test_concurrent_writers_with_expected_version_get_a_conflict(services: Services) -> None:
    child_id = register_child(services.case_file)
    version = services.case_file.get_case(child_id).version
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def write(i: int) -> None:
        barrier.wait()
        try:
            services.case_file.record(
                child_id, "ContactAdded",
                {"role": "school", "name": f"School {i}"}, CASEWORKER, now(),
                expected_version=version)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "ok"]
    assert services.case_file.get_case(child_id).version == version + 1


def test_concurrent_writers_without_expected_version_lose_no_update(services: Services) -> None:
    child_id = register_child(services.case_file)
    barrier = threading.Barrier(4)

    def write(i: int) -> None:
        barrier.wait()
        record_event(services.case_file, child_id, "ContactAdded", role="school",
                     name=f"School {i}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    contacts = services.case_file.get_case(child_id).state.contacts
    assert sorted(c.name for c in contacts) == [f"School {i}" for i in range(4)]


def test_a_retried_request_with_the_same_key_records_nothing_new(services: Services) -> None:
    child_id = register_child(services.case_file)
    args = dict(event_type="ContactAdded", fields={"role": "school", "name": "X"},
                actor=CASEWORKER, now=now(), idempotency_key="req-1")
    first = services.case_file.record(child_id, **args)  # type: ignore[arg-type]
    second = services.case_file.record(child_id, **args)  # type: ignore[arg-type]
    assert second.replayed and second.entry.seq == first.entry.seq
    assert services.case_file.get_case(child_id).version == first.version
