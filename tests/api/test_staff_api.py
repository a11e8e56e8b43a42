"""Deactivation by role, and reactivation, through the API and the CLI: a supervisor acts on
the caseworkers of its municipality, a head of unit on its supervisors and caseworkers, an
admin on anyone but the last active admin; the last head of unit of a municipality (the
escalation target) leaves only with a successor. Both stores."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.people import PROBLEM, People, problem_fields
from vaka.bootstrap import Services
from vaka.users import LastOfRole


@pytest.fixture
def people(services: Services) -> Iterator[People]:
    with TestClient(create_app(services)) as client:
        found = People(services, client)
        for name, role, municipality in [
                ("anna", "caseworker", "Malmö"), ("bo", "caseworker", "Malmö"),
                ("sup", "supervisor", "Malmö"), ("sup2", "supervisor", "Malmö"),
                ("head", "head_of_unit", "Malmö"), ("lund_sup", "supervisor", "Lund"),
                ("admin", "admin", None)]:
            found.add(name, role, municipality)
        yield found


def _deactivate(people: People, who: str, whom: str, **body: str):  # type: ignore[no-untyped-def]
    return people.post(who, f"/users/{people.ids[whom]}/deactivate",
                       {k: people.ids.get(v, v) for k, v in body.items()})


def _active(people: People, name: str) -> bool:
    user = people.services.users.get(people.ids[name])
    assert user is not None
    return user.active


# ---- who may deactivate whom ----

def test_a_supervisor_deactivates_a_caseworker_of_its_municipality(people: People) -> None:
    response = _deactivate(people, "sup", "anna", reassign_to="bo")
    assert response.status_code == 200 and not _active(people, "anna")


@pytest.mark.parametrize("whom", ["head", "sup2", "sup"])
def test_a_supervisor_cannot_deactivate_its_head_of_unit_another_supervisor_or_itself(
        people: People, whom: str) -> None:
    response = _deactivate(people, "sup", whom)
    assert response.status_code == 403 and response.headers["content-type"] == PROBLEM
    assert _active(people, whom)


def test_a_head_of_unit_deactivates_a_supervisor_of_its_municipality(people: People) -> None:
    assert _deactivate(people, "head", "sup2").status_code == 200
    assert not _active(people, "sup2")


def test_a_head_of_unit_deactivates_a_caseworker_handing_on_the_children(
        people: People) -> None:
    child_id = people.register("anna")
    step = people.services.projector().step
    while step():
        pass
    response = _deactivate(people, "head", "anna", reassign_to="bo")
    assert response.status_code == 200 and response.json()["children"] == 1
    assert people.get("bo", f"/children/{child_id}").json()["caseworker"]["user_id"] == \
        people.ids["bo"]


def test_a_head_of_unit_cannot_deactivate_itself(people: People) -> None:
    assert _deactivate(people, "head", "head").status_code == 403


def test_someone_of_another_municipality_is_not_found(people: People) -> None:
    response = _deactivate(people, "lund_sup", "anna", reassign_to="bo")
    assert response.status_code == 404 and _active(people, "anna")


def test_a_caseworker_deactivates_nobody(people: People) -> None:
    assert _deactivate(people, "anna", "bo", reassign_to="anna").status_code == 403


def test_a_caseworker_leaves_only_handing_on_to_another_active_caseworker(
        people: People) -> None:
    response = _deactivate(people, "sup", "anna", reassign_to="sup2")
    assert response.status_code == 422 and problem_fields(response) == ["reassign_to"]
    assert _active(people, "anna")


def test_deactivating_someone_already_deactivated_is_409(people: People) -> None:
    assert _deactivate(people, "head", "sup2").status_code == 200
    assert _deactivate(people, "head", "sup2").status_code == 409


# ---- the last admin, the last head of unit ----

def test_the_last_active_admin_cannot_be_deactivated(people: People) -> None:
    response = _deactivate(people, "admin", "admin")
    assert response.status_code == 409 and _active(people, "admin")
    assert "last active admin" in response.json()["detail"]


def test_an_admin_may_leave_when_another_admin_remains(people: People) -> None:
    people.add("admin2", "admin", None)
    assert _deactivate(people, "admin", "admin").status_code == 200
    assert _active(people, "admin2") and not _active(people, "admin")


def test_the_last_head_of_unit_cannot_leave_without_a_successor(people: People) -> None:
    response = _deactivate(people, "admin", "head")
    assert response.status_code == 409 and _active(people, "head")


def test_the_last_head_of_unit_leaves_when_a_supervisor_takes_over(people: People) -> None:
    response = _deactivate(people, "admin", "head", successor="sup")
    assert response.status_code == 200 and not _active(people, "head")
    successor = people.services.users.get(people.ids["sup"])
    assert successor is not None and successor.role == "head_of_unit" and successor.active
    assert [u.user_id for u in people.services.users.with_role("Malmö", "head_of_unit")] == \
        [people.ids["sup"]]


@pytest.mark.parametrize("successor", ["anna", "lund_sup"])
def test_a_successor_must_be_a_supervisor_of_the_same_municipality(
        people: People, successor: str) -> None:
    response = _deactivate(people, "admin", "head", successor=successor)
    assert response.status_code == 422 and problem_fields(response) == ["successor"]
    assert _active(people, "head")
    promoted = people.services.users.get(people.ids[successor])
    assert promoted is not None and promoted.role != "head_of_unit"


def test_a_head_of_unit_leaves_without_a_successor_when_another_remains(
        people: People) -> None:
    people.add("head2", "head_of_unit", "Malmö")
    assert _deactivate(people, "admin", "head").status_code == 200


def test_two_heads_of_unit_deactivated_at_once_leave_one(people: People) -> None:
    """Each sees the other still active; the transaction makes the second one wait and
    see the first gone."""
    heads = [people.ids["head"], people.add("head2", "head_of_unit", "Malmö")]
    barrier = threading.Barrier(2)
    refused: list[str] = []

    def leave(user_id: str) -> None:
        barrier.wait(timeout=10)
        try:
            people.services.users.deactivate(user_id)
        except LastOfRole:
            refused.append(user_id)

    threads = [threading.Thread(target=leave, args=(h,)) for h in heads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(refused) == 1
    assert [u.user_id for u in people.services.users.with_role("Malmö", "head_of_unit")] == \
        refused


# ---- reactivation ----

def test_a_reactivated_caseworker_signs_in_with_a_new_token_not_the_old_one(
        people: People) -> None:
    old_token = people.tokens["anna"]
    assert _deactivate(people, "sup", "anna", reassign_to="bo").status_code == 200
    response = people.post("sup", f"/users/{people.ids['anna']}/reactivate")
    assert response.status_code == 200 and response.json()["active"] is True
    assert response.json()["municipality_code"] == "1280"
    assert people.client.get("/notifications",
                             headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    fresh = people.services.users.issue_token(people.ids["anna"])
    assert people.client.get("/notifications",
                             headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_reactivation_follows_the_same_rules_by_role(people: People) -> None:
    assert _deactivate(people, "admin", "sup2").status_code == 200
    assert people.post("sup", f"/users/{people.ids['sup2']}/reactivate").status_code == 403
    assert people.post("head", f"/users/{people.ids['sup2']}/reactivate").status_code == 200


def test_reactivating_someone_active_is_409(people: People) -> None:
    assert people.post("sup", f"/users/{people.ids['anna']}/reactivate").status_code == 409


def test_the_cli_reactivates_a_user_by_e_mail(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vaka.cli import main

    monkeypatch.setenv("VAKA_DATA_DIR", str(tmp_path / "data"))
    main(["user", "add", "--name", "Anna", "--role", "caseworker", "--municipality", "malmo",
          "--email", "anna@example.org"])
    user_id = capsys.readouterr().out.strip()
    from vaka.bootstrap import build
    from vaka.config import Settings

    services = build(Settings())
    try:
        services.users.deactivate(user_id)
    finally:
        services.close()
    main(["user", "reactivate", "anna@example.org"])
    assert "Anna reactivated" in capsys.readouterr().out
    main(["user", "list"])
    listed = capsys.readouterr().out
    assert user_id in listed and "Malmö" in listed and "deactivated" not in listed
    with pytest.raises(SystemExit):
        main(["user", "reactivate", "anna@example.org"])
    assert "already active" in capsys.readouterr().err
