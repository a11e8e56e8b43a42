"""deploy/systemd/install.sh as an operator runs it: --dry-run changes nothing and says
what it would do; a real run into folders of the test's own installs the wheel, the env
file (0600) and the units, and a second run changes nothing. systemctl cannot run here,
so a stand-in records what it was asked; useradd is not needed (the test's user exists)."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.tools import DEPLOY, ROOT, tool

INSTALL = DEPLOY / "systemd" / "install.sh"
FAKE_SYSTEMCTL = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/systemctl.log"
case "$1" in is-enabled) grep -qx "enable $3" "$(dirname "$0")/systemctl.log" ;; esac
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("vaka-*.whl"))


def _host(folder: Path) -> dict[str, Path]:
    """This host's folders, under the test's own: nothing outside it is touched."""
    paths = {name: folder / name for name in ("opt", "etc", "var", "units")}
    systemctl = folder / "systemctl"
    systemctl.write_text(FAKE_SYSTEMCTL)
    systemctl.chmod(0o755)
    paths["systemctl"] = systemctl
    return paths


@pytest.fixture
def host(tmp_path: Path) -> dict[str, Path]:
    return _host(tmp_path)


def _install(wheel: Path, host: dict[str, Path], *extra: str, user: str | None = None
             ) -> subprocess.CompletedProcess[str]:
    user = user or pwd.getpwuid(os.getuid()).pw_name
    return subprocess.run(
        [str(INSTALL), "--wheel", str(wheel), "--prefix", str(host["opt"]),
         "--env-dir", str(host["etc"]), "--state-dir", str(host["var"]),
         "--unit-dir", str(host["units"]), "--user", user, *extra],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "SYSTEMCTL": str(host["systemctl"])})


def test_a_dry_run_says_what_it_would_do_and_does_nothing(wheel: Path,
                                                          host: dict[str, Path]) -> None:
    done = _install(wheel, host, "--dry-run", user="vaka-not-a-user")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "would   useradd --system --user-group" in out
    assert f"would   write {host['etc']}/vaka.env (0600)" in out
    assert f"would   write {host['units']}/vaka@.service" in out
    for process in ("api", "worker", "relay", "projector"):
        assert f"enable vaka@{process}.service" in out
    assert not any(host[name].exists() for name in ("opt", "etc", "var", "units"))
    asked = host["systemctl"].parent / "systemctl.log"
    assert not asked.exists() or all(line.startswith("is-enabled ")
                                     for line in asked.read_text().splitlines())


def test_install_refuses_an_unknown_process_and_a_missing_wheel(
        wheel: Path, host: dict[str, Path]) -> None:
    bad = _install(wheel, host, "--dry-run", "--processes", "api scheduler")
    assert bad.returncode == 2
    assert "unknown process 'scheduler'" in bad.stderr
    missing = _install(host["opt"] / "vaka-9.9.9-py3-none-any.whl", host, "--dry-run")
    assert missing.returncode == 2
    assert "no wheel at" in missing.stderr


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[dict[str, Path], subprocess.CompletedProcess[str]]:
    """One real install (a virtual environment with every dependency takes a while)."""
    if os.geteuid() != 0:
        pytest.skip("a real install sets owners: needs root")
    paths = _host(tmp_path_factory.mktemp("host"))
    return paths, _install(wheel, paths)


def test_install_puts_the_wheel_the_env_file_and_the_units_in_place_and_again_changes_nothing(
        wheel: Path, installed: tuple[dict[str, Path], subprocess.CompletedProcess[str]]
        ) -> None:
    host, first = installed
    assert first.returncode == 0, first.stdout + first.stderr
    env_file = host["etc"] / "vaka.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    assert f"VAKA_DATA_DIR={host['var']}" in env_file.read_text().splitlines()
    vaka = host["opt"] / "venv" / "bin" / "vaka"
    assert subprocess.run([str(vaka), "--help"], capture_output=True, timeout=60
                          ).returncode == 0
    unit = (host["units"] / "vaka@.service").read_text()
    assert f"ExecStart={vaka} %i" in unit
    assert f"EnvironmentFile={env_file}" in unit
    assert f"ReadWritePaths={host['var']}" in unit

    env_file.write_text(env_file.read_text() + "VAKA_SMTP_HOST=smtp.malmo.example\n")
    env_file.chmod(0o644)
    second = _install(wheel, host)
    assert second.returncode == 0, second.stderr
    changed = [line for line in second.stdout.splitlines() if line.startswith("  run ")]
    assert changed == [f"  run     chmod 0600 {env_file}"], "only the env file's mode"
    assert "VAKA_SMTP_HOST=smtp.malmo.example" in env_file.read_text(), "never overwritten"
    third = _install(wheel, host)
    assert "Nothing to change" in third.stdout


def test_the_installed_units_pass_systemds_own_check(
        installed: tuple[dict[str, Path], subprocess.CompletedProcess[str]]) -> None:
    analyze = tool("systemd-analyze", "systemd")
    host, first = installed
    assert first.returncode == 0, first.stdout + first.stderr
    instance = host["units"] / "vaka@api.service"
    instance.write_text((host["units"] / "vaka@.service").read_text())
    done = subprocess.run([analyze, "verify", str(instance), str(host["units"] / "vaka.target")],
                          capture_output=True, text=True, timeout=60)
    instance.unlink()
    assert done.returncode == 0, done.stderr
    assert "Unknown" not in done.stderr, done.stderr


def test_the_deploy_scripts_are_shellcheck_clean() -> None:
    shellcheck = tool("shellcheck", "shellcheck")
    scripts = [INSTALL, DEPLOY / "compose-secrets.sh", DEPLOY / "docker-entrypoint.sh",
               DEPLOY / "compose" / "postgres-init.sh"]
    done = subprocess.run([shellcheck, *map(str, scripts)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout
