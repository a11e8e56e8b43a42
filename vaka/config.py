"""Typed settings, read from VAKA_* environment variables (see deploy/vaka.env.example)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VAKA_", env_file=None, extra="ignore")

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

    poll_interval_seconds: float = 0.2
    # A delivery whose sender died is tried again after this long.
    delivery_lease_seconds: float = 60.0
    log_level: str = "INFO"
