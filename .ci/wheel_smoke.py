"""Start Vaka from an installed wheel with embedded defaults and use it once: the API, a
child registered and read back, a web page, its stylesheet and /docs. Standard library
only, since the clean environment holds nothing but the wheel and what it depends on.

Usage: wheel_smoke.py VAKA_EXECUTABLE WORK_DIR"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

READY_WITHIN = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, token: str | None = None, body: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     method="GET" if body is None else "POST")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def start(vaka: str, work: Path) -> tuple[subprocess.Popen[bytes], dict[str, str], str, Path]:
    """Start `vaka run`; on a port taken between choosing it and binding it, start again
    on other ports (the process says so and exits, or never answers)."""
    for attempt in range(1, 4):
        api = free_port()
        env = {**os.environ, "VAKA_DATA_DIR": str(work / "data"), "VAKA_API_PORT": str(api),
               "VAKA_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
               "VAKA_TEMPORAL_UI_PORT": str(free_port()),
               "VAKA_PUBLIC_URL": f"http://127.0.0.1:{api}"}
        log = work / f"vaka-run-{attempt}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([vaka, "run"], env=env, stdout=out,
                                       stderr=subprocess.STDOUT, cwd=work,
                                       start_new_session=True)
        url = f"http://127.0.0.1:{api}"
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline and process.poll() is None:
            if call(f"{url}/health/ready")[0] == 200:
                return process, env, url, log
            time.sleep(0.25)
        stop(process)
        text = log.read_text(errors="replace")
        if "address already in use" not in text.lower():
            sys.exit(f"wheel smoke: Vaka did not become ready from the wheel:\n{text}")
        print(f"wheel smoke: a port was taken (attempt {attempt}); trying other ports")
    sys.exit("wheel smoke: three starts met a taken port")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    vaka, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    process, env, url, log = start(vaka, work)
    try:
        cli = lambda *a: subprocess.run([vaka, *a], env=env, cwd=work, check=True,  # noqa: E731
                                        capture_output=True, text=True).stdout.split()
        cli("admin-token")
        _, token = cli("user", "add", "--name", "Smoke Test", "--role", "caseworker",
                       "--municipality", "Malmö", "--token")
        status, body = call(f"{url}/children", token, {
            "arrived_at": "2026-01-10T10:00:00+01:00", "date_of_birth": "2012-03-01",
            "date_of_birth_basis": "stated", "municipality": "Malmö",
            "given_name": "Smoke", "family_name": "Test"})
        assert status == 201, (status, body)
        child = json.loads(body)["child_id"]
        status, body = call(f"{url}/children/{child}", token)
        assert status == 200 and json.loads(body)["child_id"] == child, (status, body)
        status, body = call(f"{url}/logga-in")
        assert status == 200 and "Logga in" in body.decode(), status
        assert call(f"{url}/static/vaka.css")[0] == 200
        assert call(f"{url}/docs")[0] == 200
        print("wheel smoke: Vaka ran from the wheel: a child registered and read back, "
              "the sign-in page, its stylesheet and /docs answered")
    except BaseException:
        print(log.read_text(errors="replace"))
        raise
    finally:
        stop(process)
    if process.returncode not in (0, -signal.SIGINT):
        sys.exit(f"wheel smoke: vaka run ended with {process.returncode}:\n{log.read_text()}")


if __name__ == "__main__":
    main()
