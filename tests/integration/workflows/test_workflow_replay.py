"""Recorded journey histories still replay: a workflow change that would break running
journeys fails here (ARCHITECTURE house rule 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.support.privacy import readable_history
from workflows.journey import ChildJourney

HISTORIES = sorted((Path(__file__).parents[2] / "histories").glob("*.json"))


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_journey_history_replays_without_nondeterminism(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    await Replayer(workflows=[ChildJourney]).replay_workflow(history)


def test_there_is_a_recorded_history_to_replay() -> None:
    assert HISTORIES, "tests/histories holds no recorded journey"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
def test_recorded_history_carries_no_personal_data(path: Path) -> None:
    text = readable_history(path.read_text())
    assert "child_id" in text  # the payloads were decoded: ids are there, people are not
    for personal in ("Malmö", "residential home", "night staff", "date_of_birth"):
        assert personal not in text
