"""The command line reads its settings from an env file and says on stderr which store and
which Temporal it uses, so it never writes to a local SQLite on a server unawares."""

from __future__ import annotations

from pathlib import Path

from tests.integration.runtime.conftest import base_env, vaka


def env_file(path: Path, **settings: str) -> Path:
    path.write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
    return path


def test_a_named_env_file_that_is_missing_stops_the_command_before_it_writes_anything(
        tmp_path: Path) -> None:
    done = vaka("admin-token", "--env-file", str(tmp_path / "etc" / "vaka.env"),
                env=base_env(), cwd=tmp_path)
    assert done.returncode == 78
    assert done.stderr.strip() == (
        f"vaka admin-token: the env file {tmp_path / 'etc' / 'vaka.env'} does not exist "
        "(given by --env-file); nothing was started, so no local store was written")
    assert list(tmp_path.iterdir()) == []  # no data/ with a SQLite store in it


def test_the_store_and_temporal_in_the_env_file_are_used_and_said(tmp_path: Path) -> None:
    settings = env_file(tmp_path / "vaka.env", VAKA_DATA_DIR=str(tmp_path / "store"),
                        VAKA_TEMPORAL_ADDRESS="temporal.example.org:7233",
                        VAKA_TEMPORAL_NAMESPACE="vaka-prod")
    done = vaka("--env-file", str(settings), "admin-token", env=base_env())
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "store" / "vaka.sqlite").exists()
    assert done.stderr.splitlines() == [
        f"vaka: settings from {settings}",
        f"vaka: store: SQLite in {tmp_path / 'store'}/; Temporal temporal.example.org:7233 "
        "namespace vaka-prod"]


def test_the_option_may_also_follow_the_command(tmp_path: Path) -> None:
    settings = env_file(tmp_path / "vaka.env", VAKA_DATA_DIR=str(tmp_path / "store"))
    done = vaka("user", "list", "--env-file", str(settings), env=base_env())
    assert done.returncode == 0, done.stderr
    assert f"settings from {settings}" in done.stderr


def test_a_postgresql_password_is_never_shown(tmp_path: Path, closed_port: int) -> None:
    settings = env_file(tmp_path / "vaka.env", VAKA_DATA_DIR=str(tmp_path / "store"),
                        VAKA_DATABASE_URL=f"postgresql://vaka:pa55word@127.0.0.1:{closed_port}/vaka")
    done = vaka("user", "list", "--env-file", str(settings), env=base_env())
    assert f"store: PostgreSQL postgresql://vaka:***@127.0.0.1:{closed_port}/vaka;" in done.stderr
    assert "pa55word" not in done.stderr + done.stdout


def test_vaka_env_in_the_working_directory_is_read_when_no_file_is_named(
        tmp_path: Path) -> None:
    env_file(tmp_path / "vaka.env", VAKA_DATA_DIR=str(tmp_path / "store"))
    done = vaka("admin-token", env=base_env(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"settings from {tmp_path / 'vaka.env'}" in done.stderr
    assert (tmp_path / "store" / "vaka.sqlite").exists()


def test_without_any_env_file_the_command_says_it_uses_the_environment_alone(
        tmp_path: Path) -> None:
    done = vaka("admin-token", env=base_env(VAKA_DATA_DIR=str(tmp_path / "store")),
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no env file" in done.stderr.splitlines()[0]
    assert f"store: SQLite in {tmp_path / 'store'}/" in done.stderr


def test_a_variable_set_in_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    settings = env_file(tmp_path / "vaka.env", VAKA_DATA_DIR=str(tmp_path / "from-file"))
    done = vaka("admin-token", "--env-file", str(settings),
                env=base_env(VAKA_DATA_DIR=str(tmp_path / "from-environment")))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-environment" / "vaka.sqlite").exists()
    assert not (tmp_path / "from-file").exists()


def test_a_setting_of_the_wrong_type_is_named_without_a_stack_trace(tmp_path: Path) -> None:
    settings = env_file(tmp_path / "vaka.env", VAKA_DATA_DIR=str(tmp_path / "store"),
                        VAKA_API_PORT="eighty")
    done = vaka("user", "list", "--env-file", str(settings), env=base_env())
    assert done.returncode == 78
    assert done.stderr.startswith("vaka user: VAKA_API_PORT: Input should be a valid integer")
    assert "Traceback" not in done.stderr
