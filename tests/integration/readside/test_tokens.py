"""Bearer tokens expire, can be revoked one at a time or all of a user's at once, and can be
listed without their secrets; on both stores, through the API and the command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from vaka.bootstrap import Services
from vaka.users import UserError


def _status(api: TestClient, token: str) -> int:
    return api.get("/me/preferences", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_token_works_until_it_expires(services: Services) -> None:
    user = services.users.add("Caseworker", "caseworker", "Malmö")
    lasting = services.users.issue_token(user.user_id)
    brief = services.users.issue_token(user.user_id, timedelta(microseconds=1))
    with TestClient(create_app(services)) as api:
        assert _status(api, lasting) == 200
        refused = api.get("/me/preferences", headers={"Authorization": f"Bearer {brief}"})
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    token = services.users.tokens(user.user_id)[0]
    assert token.expires_at - token.created_at == timedelta(days=90)  # the default lifetime


def test_revoking_one_token_leaves_the_users_others(services: Services) -> None:
    user = services.users.add("Caseworker", "caseworker", "Malmö")
    first = services.users.issue_token(user.user_id)
    second = services.users.issue_token(user.user_id)
    listed = services.users.tokens(user.user_id)
    assert len(listed) == 2 and all(t.state(datetime.now(UTC)) == "valid" for t in listed)
    assert not any(t.token_id in first or t.token_id in second for t in listed), \
        "an id is never a piece of the secret"
    revoked = services.users.revoke(listed[0].token_id)
    with TestClient(create_app(services)) as api:
        assert sorted([_status(api, first), _status(api, second)]) == [200, 401]
    assert revoked.revoked and {t.revoked for t in services.users.tokens(user.user_id)} == {
        True, False}


def test_revoking_all_of_a_users_tokens_leaves_other_users_alone(services: Services) -> None:
    leaving = services.users.add("Caseworker", "caseworker", "Malmö")
    staying = services.users.add("Supervisor", "supervisor", "Malmö")
    tokens = [services.users.issue_token(leaving.user_id) for _ in range(3)]
    kept = services.users.issue_token(staying.user_id)
    assert services.users.revoke_all(leaving.user_id) == 3
    assert services.users.revoke_all(leaving.user_id) == 0
    with TestClient(create_app(services)) as api:
        assert [_status(api, t) for t in tokens] == [401, 401, 401]
        assert _status(api, kept) == 200


@pytest.mark.parametrize("token_id", ["", "xyz", "0123456789ab0", "g123456789ab"])
def test_a_malformed_or_unknown_token_id_is_refused(services: Services, token_id: str) -> None:
    with pytest.raises(UserError):
        services.users.revoke(token_id)
    with pytest.raises(UserError, match="no token with id"):
        services.users.revoke("0123456789ab")


def test_the_command_line_lists_and_revokes_without_showing_a_secret(tmp_path: Path) -> None:
    env = {"VAKA_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def vaka(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "vaka.cli", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    user_id, secret = vaka("user", "add", "--name", "Ali Caseworker", "--role", "caseworker",
                           "--municipality", "malmo", "--email", "ali@example.org",
                           "--token").stdout.split()
    short = vaka("token", user_id, "--days", "7").stdout.strip()
    listed = vaka("tokens", "list", "--user", "ali@example.org").stdout.splitlines()
    assert len(listed) == 2 and all("valid" in line and "Ali Caseworker" in line
                                    for line in listed)
    assert not any(secret in line or short in line for line in listed)
    done = vaka("tokens", "revoke", listed[0].split()[0])
    assert done.returncode == 0 and "revoked token" in done.stdout
    assert [line.split()[1] for line in vaka("tokens", "list").stdout.splitlines()] == [
        "revoked", "valid"]
    assert "1 token(s)" in vaka("tokens", "revoke-all", user_id).stdout
    refused = vaka("token", user_id, "--days", "0")
    assert refused.returncode == 2 and "more than 0 days" in refused.stderr
