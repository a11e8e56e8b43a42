"""Typed settings, read from VAKA_* environment variables (see deploy/vaka.env.example),
and the env file the command line loads them from."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

# Looked for in this order when neither --env-file nor VAKA_ENV_FILE names one.
DEFAULT_ENV_FILES = (Path("/etc/vaka/vaka.env"), Path("vaka.env"))


class ConfigError(Exception):
    """A setting Vaka cannot use, said in one line that names the setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VAKA_", env_file=None, extra="ignore",
                                      env_ignore_empty=True)

    data_dir: Path = Path("data")
    # Unset: the case file and read models live in SQLite files under data_dir.
    database_url: str | None = None
    # Unset: a key is made once and kept in data_dir/cipher.key.
    cipher_key: str | None = None
    policy_path: Path | None = None

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_ui_port: int = 8233
    task_queue: str = "vaka-journeys"
    # A Temporal cluster or Temporal Cloud (vaka.runtime.temporal_connection): TLS with the
    # system's roots, or with a CA of its own; mTLS with a client certificate and key; or
    # an API key (which turns TLS on by itself).
    temporal_tls: bool = False
    temporal_tls_ca: Path | None = None
    temporal_tls_cert: Path | None = None
    temporal_tls_key: Path | None = None
    temporal_tls_server_name: str | None = None
    temporal_api_key: str | None = None

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    public_url: str = "http://127.0.0.1:8000"

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_ssl: bool = False  # implicit TLS (port 465)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "vaka@localhost"

    # Limits before work (api/limits.py): the largest request body, and each person's
    # writes a minute with a burst allowed at once (0: no rate limit).
    max_request_bytes: int = 1_048_576
    writes_per_minute: int = 600
    write_burst: int = 120

    # PostgreSQL connections a process may open per pool (the case file's, the read
    # side's): a whole `vaka run` stays well under PostgreSQL's default of 100.
    database_connections: int = 6

    poll_interval_seconds: float = 0.2
    # Webhooks may point at loopback, private and link-local addresses (a receiver inside
    # the municipality's network). Off: only public addresses (vaka.notify.webhook_targets).
    webhook_allow_private: bool = False
    # How long a bearer token issued by `vaka token` or `vaka user add --token` lasts.
    token_lifetime_days: float = Field(default=90, gt=0)
    # How often the reconciler checks that every child with an open clock has a running
    # journey, and starts again one that was terminated, failed or never started.
    reconcile_interval_seconds: float = Field(default=60.0, gt=0)
    # Copies of the relay and projector processes `vaka run` starts; one is active per
    # follower, the others take over when its lease runs out (vaka.runtime.standby).
    follower_instances: int = Field(default=1, ge=1)
    follower_lease_seconds: float = Field(default=5.0, gt=0)
    # A delivery whose sender died is tried again after this long.
    delivery_lease_seconds: float = 60.0
    log_level: str = "INFO"
    # json | text | auto (text on a terminal, JSON lines otherwise). vaka.observe.logs
    log_format: str = "auto"
    # /metrics answers loopback callers without a token; others need this bearer token (or
    # an admin's). Unset: loopback and admins only.
    metrics_token: str | None = None
    # The worker's Temporal SDK metrics for Prometheus on this host:port. Unset: off.
    temporal_metrics_address: str | None = None


def env_file_to_use(given: Path | None = None) -> Path | None:
    """The env file named (--env-file, else VAKA_ENV_FILE), which must exist; else the
    first of DEFAULT_ENV_FILES that exists; else none."""
    named = given or (Path(os.environ["VAKA_ENV_FILE"]) if os.environ.get("VAKA_ENV_FILE")
                      else None)
    if named is not None:
        if not named.is_file():
            raise ConfigError(f"the env file {named} does not exist (given by "
                              f"{'--env-file' if given else 'VAKA_ENV_FILE'}); "
                              "nothing was started, so no local store was written")
        return named.resolve()
    for candidate in DEFAULT_ENV_FILES:
        if candidate.is_file():
            return candidate.resolve()
    return None


def load_settings(env_file: Path | None) -> Settings:
    """Settings from the environment, with the env file's values where the environment
    sets none (as systemd's Environment= wins over its EnvironmentFile=). The values go
    into this process's environment, so the processes `vaka run` starts read the same."""
    if env_file is not None:
        from dotenv import dotenv_values

        try:
            values = dotenv_values(env_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"the env file {env_file} cannot be read: {exc}") from None
        for name, value in values.items():
            if value is not None:
                os.environ.setdefault(name, value)
        os.environ["VAKA_ENV_FILE"] = str(env_file)
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError("; ".join(
            f"VAKA_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors())) from None


def masked_url(url: str) -> str:
    """A database URL fit to show: the password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def describe_store(settings: Settings) -> str:
    if settings.database_url:
        return f"PostgreSQL {masked_url(settings.database_url)}"
    return f"SQLite in {settings.data_dir.resolve()}/"


def describe_temporal(settings: Settings) -> str:
    secured = []
    if settings.temporal_tls or settings.temporal_tls_ca or settings.temporal_tls_cert:
        secured.append("mTLS" if settings.temporal_tls_cert else "TLS")
    if settings.temporal_api_key:
        secured.append("API key")
    how = " with " + " and ".join(secured) if secured else ""
    return (f"Temporal {settings.temporal_address} namespace "
            f"{settings.temporal_namespace}{how}")


def postgres_needs_a_key(settings: Settings) -> str:
    old = settings.data_dir / "cipher.key"
    return ("VAKA_CIPHER_KEY is not set: with PostgreSQL every host of Vaka must read the "
            "case file with the same key, so Vaka does not make one; set VAKA_CIPHER_KEY "
            "on every host"
            + (f" to the key an earlier version kept in {old}" if old.is_file() else ""))
