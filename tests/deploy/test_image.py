"""The container image's recipe (it cannot be built here: no base image can be pulled):
the entrypoint that reads secrets from files, what the build context holds, a non-root
user, and health checks that point at paths the API serves."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.deploy.tools import DEPLOY, ROOT
from vaka.bootstrap import Services
from web.app import create_app

ENTRYPOINT = DEPLOY / "docker-entrypoint.sh"
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()


def _entrypoint(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VAKA_")}
    return subprocess.run(["sh", str(ENTRYPOINT), *command], capture_output=True, text=True,
                          timeout=30, env={**clean, **env})


def test_a_setting_named_file_is_read_from_that_file(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("c2VjcmV0IGtleQ==\n")
    done = _entrypoint({"VAKA_CIPHER_KEY_FILE": str(tmp_path / "key")},
                       "sh", "-c", 'echo "[$VAKA_CIPHER_KEY]"; echo "[${VAKA_CIPHER_KEY_FILE:-}]"')
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[c2VjcmV0IGtleQ==]", "[]"]


def test_a_secret_file_that_cannot_be_read_stops_the_start_with_its_name(
        tmp_path: Path) -> None:
    done = _entrypoint({"VAKA_DATABASE_URL_FILE": str(tmp_path / "absent")}, "true")
    assert done.returncode == 66
    assert f"VAKA_DATABASE_URL_FILE names {tmp_path / 'absent'}, which cannot be read" \
        in done.stderr


def test_a_setting_given_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("one")
    done = _entrypoint({"VAKA_CIPHER_KEY_FILE": str(tmp_path / "key"),
                        "VAKA_CIPHER_KEY": "two"}, "true")
    assert done.returncode == 64
    assert "both VAKA_CIPHER_KEY and VAKA_CIPHER_KEY_FILE are set" in done.stderr


def test_the_build_context_holds_every_package_the_wheel_is_built_from() -> None:
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    included = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]
                ["include"]}
    assert packages | {"pyproject.toml"} <= included
    assert "deploy/docker-entrypoint.sh" in included


def test_the_image_runs_as_a_numbered_user_that_is_not_root() -> None:
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert users, "the image has no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # numeric: Kubernetes' runAsNonRoot can check it


def test_no_secret_is_baked_into_the_image() -> None:
    for name in re.findall(r"^(?:ENV|ARG)\s+(.*)$", DOCKERFILE, re.MULTILINE):
        assert not re.search(r"KEY|PASSWORD|SECRET|TOKEN|DATABASE_URL", name), name


@pytest.fixture
def client(sqlite_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_services)) as test_client:
        yield test_client


def _probe_paths() -> set[str]:
    paths = set(re.findall(r"/health/\w+", DOCKERFILE))
    paths |= set(re.findall(r"/health/\w+", (DEPLOY / "compose.yaml").read_text()))
    for manifest in (DEPLOY / "kubernetes").glob("*.yaml"):
        for document in yaml.safe_load_all(manifest.read_text()):
            paths |= set(re.findall(r"/health/\w+", str(document)))
    return paths


def test_every_health_check_of_the_deployments_is_a_path_the_api_answers(
        client: TestClient) -> None:
    paths = _probe_paths()
    assert {"/health/live", "/health/ready"} <= paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
