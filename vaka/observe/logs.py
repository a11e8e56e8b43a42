"""One logging set-up for every Vaka process: text for a person at a terminal, JSON lines
for a log collector (VAKA_LOG_FORMAT=json|text|auto), each line carrying the process's
role and, inside an API request, the request's id.

No line carries personal data: messages are written with ids and kinds of errors only,
and a logged exception keeps its type and the code locations, never its message (which
may quote a child's data) nor its local variables.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

request_id: ContextVar[str | None] = ContextVar("vaka_request_id", default=None)
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
FORMATS = ("auto", "json", "text")


def new_request_id(given: str | None) -> str:
    """The caller's X-Request-ID if it is a plain token, else a fresh one: a header is
    input, and a log line must never carry what a caller typed into it."""
    if given and _GIVEN_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class _Context(logging.Filter):
    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def filter(self, record: logging.LogRecord) -> bool:
        record.role = self.role
        record.request_id = request_id.get()
        return True


def _error(exc_info: Any) -> dict[str, Any]:
    kind, _, tb = exc_info
    frames = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}"
              for f in traceback.extract_tb(tb)[-5:]]
    return {"error": kind.__name__ if kind else None, "stack": frames}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name,
            "role": getattr(record, "role", None), "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            line["request_id"] = record.request_id  # type: ignore[attr-defined]
        if record.exc_info:
            line.update(_error(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(role)s %(name)s %(levelname)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(_without_exception(record))
        if getattr(record, "request_id", None):
            text += f" request_id={record.request_id}"  # type: ignore[attr-defined]
        if record.exc_info:
            error = _error(record.exc_info)
            text += f" error={error['error']} at {' < '.join(reversed(error['stack']))}"
        return text


def _without_exception(record: logging.LogRecord) -> logging.LogRecord:
    if not record.exc_info and not record.exc_text:
        return record
    copy = logging.makeLogRecord(record.__dict__)
    copy.exc_info, copy.exc_text = None, None
    return copy


def use_json(log_format: str, stream: Any = None) -> bool:
    if log_format not in FORMATS:
        raise SystemExit(f"vaka: VAKA_LOG_FORMAT must be one of {', '.join(FORMATS)}, "
                         f"not {log_format!r}")
    if log_format == "auto":
        return not (stream or sys.stderr).isatty()
    return log_format == "json"


def setup(level: str, log_format: str, role: str, stream: IO[str] | None = None) -> None:
    """Send every logger's lines, uvicorn's and temporalio's too, through one handler
    (to standard error unless `stream` is given)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if use_json(log_format, handler.stream)
                         else TextFormatter())
    handler.addFilter(_Context(role))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs each request's URL at INFO: a webhook's address may hold a secret.
    for quiet in ("temporalio", "httpx", "httpcore"):
        logging.getLogger(quiet).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
