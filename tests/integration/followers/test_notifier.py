"""The notifier: each recorded event tells the right people once, and names no child."""

from __future__ import annotations

from datetime import timedelta

from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.readside import caseworker_and_supervisor, drain, rows
from vaka.bootstrap import Services


def test_reported_missing_notifies_caseworker_supervisor_and_contacts_once(
        services: Services) -> None:
    caseworker_id, supervisor_id = caseworker_and_supervisor(services)
    child_id = register_child(services.case_file)
    record_event(services.case_file, child_id, "CaseworkerAssigned", caseworker_id=caseworker_id)
    record_event(services.case_file, child_id, "ContactAdded", role="school", name="School",
           email="school@example.org")
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    notifier = services.notifier(email_enabled=True)
    drain(notifier.step)
    with services.db.transaction() as tx:  # replaying the whole log doubles nothing
        tx.execute("UPDATE tracking SET position = 0 WHERE follower = 'notifier'")
    drain(notifier.step)
    found = rows(services, "SELECT * FROM notifications WHERE kind = 'missing'")
    recipients = sorted(r["recipient_user_id"] or r["recipient_email"] for r in found)
    assert recipients == sorted([caseworker_id, supervisor_id, "school@example.org"])


def test_notification_text_carries_no_personal_data(services: Services) -> None:
    caseworker_and_supervisor(services)
    child_id = register_child(services.case_file)
    record_event(services.case_file, child_id, "ContactAdded", role="placement", name="Home",
           email="home@example.org")
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    drain(services.notifier(email_enabled=True).step)
    for row in rows(services, "SELECT subject, body FROM notifications"):
        text = row["subject"] + row["body"]
        assert "the residential home" not in text and "night staff" not in text
        assert "Malmö" not in text


def test_a_disappearance_is_told_in_swedish_words_with_the_policys_numbers(
        services: Services) -> None:
    caseworker_and_supervisor(services)
    child_id = register_child(services.case_file)
    last_seen = now() - timedelta(hours=1)
    report_missing(services.case_file, child_id, last_seen)
    drain(services.notifier().step)
    note = rows(services, "SELECT subject, body FROM notifications WHERE kind = 'missing'")[0]
    assert note["subject"].endswith(": barnet anmält försvunnet")
    local = last_seen.astimezone(services.policy.timezone)
    assert f"kl. {local:%H:%M}" in note["body"] and "24 timmar" in note["body"]
    assert "In English: The child of case" in note["body"]
    assert "missing.police_report" not in note["subject"] + note["body"]
    assert f"/barn/{child_id}" in note["body"]


def test_a_child_found_in_another_municipality_is_told_to_both_and_the_transfer_too(
        services: Services) -> None:
    caseworker_id, malmo = caseworker_and_supervisor(services)
    lund = services.users.add("Lena", "supervisor", "Lund", "lena@example.org").user_id
    child_id = register_child(services.case_file)
    record_event(services.case_file, child_id, "CaseworkerAssigned", caseworker_id=caseworker_id)
    report_missing(services.case_file, child_id, now() - timedelta(hours=5))
    record_event(services.case_file, child_id, "Found", location="sweden", municipality="Lund")
    drain(services.notifier().step)  # told as it happens
    record_event(services.case_file, child_id, "ResponsibilityTransferred", to="municipality",
                 municipality="Lund")
    drain(services.notifier().step)

    def told(kind: str) -> set[str]:
        return {r["recipient_user_id"] for r in rows(
            services, "SELECT recipient_user_id FROM notifications WHERE kind = ?", (kind,))}

    assert {malmo, lund, caseworker_id} <= told("found")
    assert {malmo, lund} <= told("handover")
    drain(services.projector().step)
    (child,) = rows(services, "SELECT municipality FROM children")
    assert child["municipality"] == "Lund"  # the receiving municipality has the case now
