"""`vaka check` tries each part of a configuration for real and says what is wrong, one
line per check; exit code 0 only when every check passes. Against a real PostgreSQL, a
real Temporal dev server and a loopback SMTP server."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher

from tests.conftest import POSTGRES_CIPHER_KEY
from tests.integration.runtime.conftest import base_env, temporal_address, vaka
from tests.support.casefile import register_child
from tests.support.smtp import smtp_server
from vaka.bootstrap import build
from vaka.config import Settings
from vaka.runtime.checks import Outcome
from vaka.runtime.checks.cipher import check_cipher
from vaka.runtime.checks.database import check_database, check_schema
from vaka.runtime.checks.smtp import check_smtp
from vaka.runtime.checks.temporal import check_temporal

pytestmark = [pytest.mark.postgres]


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", **values)  # type: ignore[arg-type]


def a_case_file_with_one_child(config: Settings) -> None:
    services = build(config)
    try:
        register_child(services.case_file)
    finally:
        services.close()


def temporal_outcomes(config: Settings) -> dict[str, Outcome]:
    return {o.name: o for o in asyncio.run(check_temporal(config))}


# ---- the whole command ----

def test_a_working_configuration_passes_every_check_and_exits_0(
        tmp_path: Path, postgres_url: str, temporal_env) -> None:  # type: ignore[no-untyped-def]
    key = AESCipher.create_key(32)
    a_case_file_with_one_child(settings(tmp_path, database_url=postgres_url, cipher_key=key))
    with smtp_server() as (_, smtp_port):
        done = vaka("check", env=base_env(
            VAKA_DATA_DIR=str(tmp_path / "data"), VAKA_DATABASE_URL=postgres_url,
            VAKA_CIPHER_KEY=key, VAKA_TEMPORAL_ADDRESS=temporal_address(temporal_env),
            VAKA_SMTP_HOST="127.0.0.1", VAKA_SMTP_PORT=str(smtp_port)))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["OK"] * 8, done.stdout
    assert "decrypts the case file's first event" in done.stdout
    assert lines[-1] == "8 of 8 checks passed"


def test_a_wrong_database_url_fails_the_check_in_seconds_with_exit_code_1(
        tmp_path: Path, closed_port: int, temporal_env) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    done = vaka("check", env=base_env(
        VAKA_DATA_DIR=str(tmp_path / "data"),
        VAKA_DATABASE_URL=f"postgresql://vaka:s3cret@127.0.0.1:{closed_port}/vaka",
        VAKA_TEMPORAL_ADDRESS=temporal_address(temporal_env)))
    assert time.monotonic() - started < 15
    assert done.returncode == 1
    database = next(line for line in done.stdout.splitlines() if " database " in line)
    assert database.startswith("FAIL")
    assert "connection refused" in database
    assert "s3cret" not in done.stdout + done.stderr
    assert "postgresql://vaka:***@127.0.0.1" in database
    assert done.stdout.splitlines()[-1].endswith("failed: database, schema, cipher key")


# ---- the database: why it cannot be reached ----

def test_nothing_listening_is_reported_as_connection_refused(
        tmp_path: Path, closed_port: int) -> None:
    outcome = check_database(settings(
        tmp_path, database_url=f"postgresql://postgres@127.0.0.1:{closed_port}/postgres"))
    assert not outcome.ok
    assert "connection refused" in outcome.detail


def test_a_database_that_does_not_exist_is_named_as_missing(
        tmp_path: Path, postgres_admin) -> None:  # type: ignore[no-untyped-def]
    outcome = check_database(settings(
        tmp_path, database_url="postgresql://postgres@127.0.0.1:5432/vaka_never_created"))
    assert not outcome.ok
    assert "the database does not exist" in outcome.detail


def test_an_unknown_user_is_reported_as_an_authentication_failure(
        tmp_path: Path, postgres_admin) -> None:  # type: ignore[no-untyped-def]
    outcome = check_database(settings(
        tmp_path, database_url="postgresql://nobody_here@127.0.0.1:5432/postgres"))
    assert not outcome.ok
    assert "authentication failed" in outcome.detail


def test_a_host_name_that_does_not_resolve_is_reported_as_dns(tmp_path: Path) -> None:
    started = time.monotonic()
    outcome = check_database(settings(
        tmp_path, database_url="postgresql://postgres@no-such-host.invalid:5432/vaka"))
    assert not outcome.ok
    assert "does not resolve (DNS)" in outcome.detail
    assert time.monotonic() - started < 10


# ---- schema and cipher key ----

def test_a_fresh_database_passes_the_schema_check_as_made_at_first_start(
        tmp_path: Path, postgres_url: str) -> None:
    outcome = check_schema(settings(tmp_path, database_url=postgres_url))
    assert outcome.ok
    assert "the first start of any vaka process makes them" in outcome.detail


def test_a_started_database_has_every_table_and_migration(
        tmp_path: Path, postgres_url: str) -> None:
    config = settings(tmp_path, database_url=postgres_url, cipher_key=AESCipher.create_key(16))
    build(config).close()
    outcome = check_schema(config)
    assert outcome.ok
    assert outcome.detail.startswith("all tables present")


def test_a_cipher_key_that_did_not_write_the_case_file_fails(
        tmp_path: Path, postgres_url: str) -> None:
    a_case_file_with_one_child(settings(tmp_path, database_url=postgres_url,
                                        cipher_key=AESCipher.create_key(32)))
    outcome = check_cipher(settings(tmp_path, database_url=postgres_url,
                                    cipher_key=AESCipher.create_key(32)))
    assert not outcome.ok
    assert "does not decrypt the case file's events" in outcome.detail


def test_a_case_file_with_events_but_no_key_anywhere_fails(
        tmp_path: Path, postgres_url: str) -> None:
    a_case_file_with_one_child(settings(tmp_path / "elsewhere", database_url=postgres_url,
                                        cipher_key=POSTGRES_CIPHER_KEY))
    outcome = check_cipher(settings(tmp_path, database_url=postgres_url))
    assert not outcome.ok
    assert outcome.detail.startswith("VAKA_CIPHER_KEY is not set: with PostgreSQL")
    assert not (tmp_path / "data" / "cipher.key").exists()  # the check made no key


def test_a_key_that_is_not_base64_of_an_aes_key_fails(tmp_path: Path) -> None:
    outcome = check_cipher(settings(tmp_path, cipher_key="not-a-key"))
    assert not outcome.ok
    assert "VAKA_CIPHER_KEY is not base64 of 16, 24 or 32 bytes" in outcome.detail


def test_the_sqlite_key_kept_in_the_data_dir_decrypts_its_case_file(tmp_path: Path) -> None:
    a_case_file_with_one_child(settings(tmp_path))
    outcome = check_cipher(settings(tmp_path))
    assert outcome.ok
    assert "cipher.key decrypts the case file's first event" in outcome.detail


# ---- Temporal ----

def test_a_temporal_server_that_answers_with_its_namespace_passes(
        tmp_path: Path, temporal_env) -> None:  # type: ignore[no-untyped-def]
    outcomes = temporal_outcomes(settings(
        tmp_path, temporal_address=temporal_address(temporal_env)))
    assert all(o.ok for o in outcomes.values()), outcomes


def test_the_wrong_temporal_port_is_reported_as_refused(
        tmp_path: Path, closed_port: int) -> None:
    outcomes = temporal_outcomes(settings(tmp_path,
                                          temporal_address=f"127.0.0.1:{closed_port}"))
    assert not outcomes["temporal"].ok
    assert "connection refused" in outcomes["temporal"].detail
    assert not outcomes["temporal namespace"].ok


def test_a_missing_temporal_namespace_is_named(
        tmp_path: Path, temporal_env) -> None:  # type: ignore[no-untyped-def]
    outcomes = temporal_outcomes(settings(
        tmp_path, temporal_address=temporal_address(temporal_env),
        temporal_namespace="vaka-nowhere"))
    assert outcomes["temporal"].ok
    assert not outcomes["temporal namespace"].ok
    assert "namespace 'vaka-nowhere' does not exist" in outcomes["temporal namespace"].detail


def test_a_tls_file_that_does_not_exist_is_named_with_its_setting(
        tmp_path: Path, temporal_env) -> None:  # type: ignore[no-untyped-def]
    outcomes = temporal_outcomes(settings(
        tmp_path, temporal_address=temporal_address(temporal_env),
        temporal_tls_ca=tmp_path / "nowhere" / "ca.pem"))
    assert not outcomes["temporal tls"].ok
    assert outcomes["temporal tls"].detail == (
        f"VAKA_TEMPORAL_TLS_CA: {tmp_path / 'nowhere' / 'ca.pem'} does not exist")


# ---- SMTP ----

def test_a_reachable_smtp_server_passes_after_ehlo(tmp_path: Path) -> None:
    with smtp_server() as (inbox, port):
        outcome = check_smtp(settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port))
    assert outcome.ok
    assert "answers (EHLO)" in outcome.detail
    assert inbox.messages == []  # nothing was sent


def test_an_smtp_port_where_nothing_listens_fails(tmp_path: Path, closed_port: int) -> None:
    outcome = check_smtp(settings(tmp_path, smtp_host="127.0.0.1", smtp_port=closed_port))
    assert not outcome.ok
    assert "connection refused" in outcome.detail


def test_starttls_configured_for_a_server_without_it_fails(tmp_path: Path) -> None:
    with smtp_server() as (_, port):
        outcome = check_smtp(settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                                      smtp_starttls=True))
    assert not outcome.ok
    assert "does not offer what is configured" in outcome.detail
    assert "STARTTLS" in outcome.detail


def test_a_login_configured_for_a_server_without_auth_fails(tmp_path: Path) -> None:
    with smtp_server() as (_, port):
        outcome = check_smtp(settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                                      smtp_username="vaka", smtp_password="x"))
    assert not outcome.ok
    assert "AUTH" in outcome.detail
