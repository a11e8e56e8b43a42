"""Limits before work (issue 13): a request is bounded and its sender known before Vaka
reads its body; a person's writes are rate limited; every answer carries the security
headers. The memory test watches a real API process from outside."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import make_settings
from vaka.bootstrap import Services, build
from web.app import create_app as create_web_app

MB = 1024 * 1024
CHILD = {"arrived_at": "2026-01-10T10:00:00+01:00", "date_of_birth": "2012-03-01",
         "date_of_birth_basis": "stated", "municipality": "Malmö", "given_name": "Ada"}


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


def caseworker(services: Services) -> dict[str, str]:
    user = services.users.add("Sara Lind", "caseworker", "Malmö", None)
    return {"Authorization": f"Bearer {services.users.issue_token(user.user_id)}"}


def recorded(services: Services) -> int:
    """How many entries the case file holds: what a refused request must not change."""
    return services.case_file.recorder.max_notification_id() or 0


def test_a_body_declared_too_large_is_refused_and_records_nothing(
        client: TestClient, services: Services) -> None:
    headers = caseworker(services)
    big = {**CHILD, "given_name": "x" * (2 * MB)}
    answer = client.post("/children", json=big, headers=headers)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "1048576 bytes" in answer.json()["detail"]
    assert recorded(services) == 0


def test_a_chunked_body_that_grows_too_large_is_refused(
        client: TestClient, services: Services) -> None:
    headers = caseworker(services)

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 65536  # 2.5 MB of whitespace, never a declared length

    answer = client.post("/children", content=chunks(),
                         headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert recorded(services) == 0


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic abc"])
def test_a_write_from_someone_unknown_is_refused_before_its_body_is_parsed(
        client: TestClient, services: Services, authorization: str | None) -> None:
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    # Not even JSON: a body that was parsed would be a 422, not a 401.
    answer = client.post("/children", content=b"{not json", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert recorded(services) == 0


def test_a_form_post_without_a_session_goes_to_sign_in(sqlite_services: Services) -> None:
    with TestClient(create_web_app(sqlite_services), follow_redirects=False) as web:
        answer = web.post("/barn/ny", data={"given_name": "Ada"},
                          headers={"Accept": "text/html"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/logga-in"


def test_signing_in_needs_no_session(sqlite_services: Services) -> None:
    with TestClient(create_web_app(sqlite_services), follow_redirects=False) as web:
        answer = web.post("/logga-in", data={"email": "nobody@example.org", "password": "x"},
                          headers={"Accept": "text/html"})
    # The sign-in page answers (wrong e-mail or password), not the gate.
    assert answer.headers["content-type"].startswith("text/html")


def test_a_persons_writes_are_rate_limited_and_others_are_not(tmp_path: Path) -> None:
    services = build(make_settings(tmp_path, writes_per_minute=60, write_burst=3))
    try:
        with TestClient(create_app(services)) as client:
            sara, other = caseworker(services), caseworker(services)
            answers = [client.post("/children", json=CHILD, headers=sara).status_code
                       for _ in range(3)]
            assert answers == [201, 201, 201]
            after_three = recorded(services)
            slowed = client.post("/children", json=CHILD, headers=sara)
            assert slowed.status_code == 429
            assert 1 <= int(slowed.headers["retry-after"]) <= 2
            assert recorded(services) == after_three
            assert client.post("/children", json=CHILD, headers=other).status_code == 201
    finally:
        services.close()


def test_reads_are_not_rate_limited(tmp_path: Path) -> None:
    services = build(make_settings(tmp_path, writes_per_minute=60, write_burst=1))
    try:
        with TestClient(create_app(services)) as client:
            sara = caseworker(services)
            assert {client.get("/children", headers=sara).status_code
                    for _ in range(10)} == {200}
    finally:
        services.close()


def test_every_answer_carries_the_security_headers(sqlite_services: Services) -> None:
    with TestClient(create_web_app(sqlite_services), follow_redirects=False) as web:
        for path in ("/logga-in", "/children", "/static/vaka.css", "/nowhere"):
            headers = web.get(path).headers
            policy = headers["content-security-policy"]
            assert "frame-ancestors 'none'" in policy
            assert "script-src 'self';" in policy and "unsafe-inline" not in policy
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "same-origin"
        docs = web.get("/docs").headers["content-security-policy"]
        assert "script-src 'self' 'unsafe-inline'" in docs


def _rss_peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_ten_unauthenticated_50_mb_requests_leave_the_api_s_memory_as_it_was(
        tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.api_process", str(listener.fileno()),
         str(tmp_path / "data")], pass_fds=[listener.fileno()])
    listener.close()
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "API never answered"
            time.sleep(0.1)
        before = _rss_peak_kb(process.pid)
        for declared in (True, False) * 5:
            answers = _send_big(port, 50 * MB, declared)
            assert answers.startswith(b"HTTP/1.1 413") or answers.startswith(b"HTTP/1.1 401"), \
                answers[:80]
        grown_mb = (_rss_peak_kb(process.pid) - before) / 1024
        assert grown_mb < 20, f"the API grew by {grown_mb:.0f} MB"
    finally:
        process.terminate()
        process.wait(20)


def _send_big(port: int, size: int, declared: bool) -> bytes:
    """POST `size` bytes as fast as the server takes them; stop when it answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = (b"POST /children HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (f"Content-Length: {size}\r\n".encode() if declared
                   else b"Transfer-Encoding: chunked\r\n") + b"\r\n")
        sock.sendall(head)
        chunk = b"x" * 65536
        framed = chunk if declared else b"10000\r\n" + chunk + b"\r\n"
        sock.setblocking(False)
        sent, answer = 0, b""
        while sent < size and not answer:
            with contextlib.suppress(BlockingIOError):
                answer = sock.recv(4096)
            try:
                sock.send(framed)
                sent += len(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                pass
        sock.settimeout(60)
        if not answer and not declared:
            sock.sendall(b"0\r\n\r\n")  # the body's end, for a server that read it all
        while b"\r\n" not in answer:
            more = sock.recv(4096)
            if not more:
                break
            answer += more
        return answer
