"""The compose file as `docker compose config` reads it (no image can be pulled here),
the Caddyfile as Caddy reads it, and the script that makes the compose secrets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.tools import DEPLOY, compose, tool
from vaka.config import Settings

VAKA_PROCESSES = {"api", "worker", "relay", "projector"}
OPERATOR_ENV = {"VAKA_DOMAIN": "vaka.malmo.example", "VAKA_TLS": "internal"}


@pytest.fixture
def deploy_copy(tmp_path: Path) -> Path:
    """deploy/ as an operator receives it, without any .env or secrets of this checkout."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns(".env", "vaka.env",
                                                                "secrets", "certs"))
    return copy


def _config(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VAKA_", "COMPOSE_"))}
    return subprocess.run([*compose(), "-f", str(folder / "compose.yaml"), "config",
                           "--format", "json"], capture_output=True, text=True, timeout=60,
                          env={**clean, **env}, cwd=folder)


@pytest.fixture
def config(deploy_copy: Path) -> dict[str, Any]:
    done = _config(deploy_copy, OPERATOR_ENV)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_compose_file_runs_postgres_temporal_its_ui_the_four_processes_and_a_proxy(
        config: dict[str, Any]) -> None:
    assert set(config["services"]) == {"postgres", "temporal", "temporal-ui", "proxy",
                                       *VAKA_PROCESSES}
    for process in VAKA_PROCESSES:
        assert config["services"][process]["command"] == [process]
    assert {p["published"] for p in config["services"]["proxy"]["ports"]} == {"80", "443"}


def test_temporal_persists_on_postgresql_and_its_ui_knows_the_codec_endpoint(
        config: dict[str, Any]) -> None:
    temporal = config["services"]["temporal"]
    assert temporal["environment"]["DB"] == "postgres12"
    assert temporal["environment"]["POSTGRES_SEEDS"] == "postgres"
    assert temporal["depends_on"]["postgres"]["condition"] == "service_healthy"
    ui = config["services"]["temporal-ui"]
    assert "TEMPORAL_CODEC_ENDPOINT" in ui["environment"]
    assert all(p["host_ip"] == "127.0.0.1" for p in ui["ports"]), "the UI is for the host only"


def test_no_secret_is_written_in_the_compose_file_only_files_are_named(
        config: dict[str, Any]) -> None:
    for name, service in config["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            assert not any(word in variable for word in ("PASSWORD", "CIPHER_KEY", "API_KEY",
                                                         "DATABASE_URL")) \
                or variable.endswith("_FILE"), f"{name}: {variable} holds a secret"
            assert "postgresql://" not in str(value), f"{name}: {variable} holds a URL"
    for process in VAKA_PROCESSES:
        secrets = {s["source"] for s in config["services"][process]["secrets"]}
        assert secrets == {"vaka_database_url", "vaka_cipher_key"}


def test_every_vaka_setting_in_the_compose_file_is_one_vaka_reads(
        config: dict[str, Any]) -> None:
    known = {f"VAKA_{name.upper()}" for name in Settings.model_fields}
    for process in VAKA_PROCESSES:
        for variable in config["services"][process]["environment"]:
            assert variable.removesuffix("_FILE") in known, f"{process}: {variable} is unknown"


def test_the_api_is_healthy_only_when_ready_and_the_proxy_waits_for_it(
        config: dict[str, Any]) -> None:
    assert "/health/ready" in " ".join(config["services"]["api"]["healthcheck"]["test"])
    assert config["services"]["proxy"]["depends_on"]["api"]["condition"] == "service_healthy"


def test_compose_says_which_setting_is_missing_when_the_domain_is_not_set(
        deploy_copy: Path) -> None:
    done = _config(deploy_copy, {})
    assert done.returncode != 0
    assert "set VAKA_DOMAIN in deploy/.env" in done.stderr


def test_a_broken_compose_file_is_refused(deploy_copy: Path) -> None:
    """The check above can fail: a misspelt key is an error, not silence."""
    path = deploy_copy / "compose.yaml"
    path.write_text(path.read_text().replace("    restart: unless-stopped\n",
                                             "    restrat: unless-stopped\n", 1))
    done = _config(deploy_copy, OPERATOR_ENV)
    assert done.returncode != 0
    assert "restrat" in done.stderr


@pytest.mark.parametrize("tls", ["internal", "it@malmo.example",
                                 "/etc/caddy/certs/cert.pem /etc/caddy/certs/key.pem"])
def test_the_caddyfile_is_valid_for_each_way_of_getting_a_certificate(tls: str) -> None:
    caddy = tool("caddy", "caddy")
    done = subprocess.run([caddy, "adapt", "--config", str(DEPLOY / "compose" / "Caddyfile")],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "VAKA_DOMAIN": "vaka.malmo.example",
                               "VAKA_TLS": tls})
    assert done.returncode == 0, done.stderr
    server = json.loads(done.stdout)["apps"]["http"]["servers"]["srv0"]
    assert server["routes"][0]["match"] == [{"host": ["vaka.malmo.example"]}]
    assert "api:8000" in done.stdout


def test_the_secrets_script_makes_each_secret_once_and_never_replaces_the_key(
        deploy_copy: Path) -> None:
    script = deploy_copy / "compose-secrets.sh"
    first = subprocess.run([str(script)], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    secrets = deploy_copy / "secrets"
    assert secrets.stat().st_mode & 0o777 == 0o700
    key = (secrets / "vaka_cipher_key").read_text()
    password = (secrets / "vaka_db_password").read_text().strip()
    assert (secrets / "vaka_database_url").read_text().strip() == \
        f"postgresql://vaka:{password}@postgres:5432/vaka"

    again = subprocess.run([str(script)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0
    assert "kept    secrets/vaka_cipher_key" in again.stdout
    assert (secrets / "vaka_cipher_key").read_text() == key


def test_the_secrets_script_takes_the_key_of_an_existing_vaka(deploy_copy: Path,
                                                              tmp_path: Path) -> None:
    (tmp_path / "old.key").write_text("c29tZSBrZXkgb2YgdGhpcnR5LXR3byBieXRlcyEhISE=\n")
    done = subprocess.run([str(deploy_copy / "compose-secrets.sh"), "--cipher-key-from",
                           str(tmp_path / "old.key")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert (deploy_copy / "secrets" / "vaka_cipher_key").read_text() == \
        "c29tZSBrZXkgb2YgdGhpcnR5LXR3byBieXRlcyEhISE=\n"
