"""The HTTP API alone in a process of its own, serving on a socket the test bound (port 0,
so no race for a port), for tests that watch the process from outside: its memory, say.

Run as: python -m tests.support.api_process FD DATA_DIR"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from vaka.bootstrap import build
from vaka.config import Settings
from web.app import create_app


def main() -> None:
    fd, data_dir = int(sys.argv[1]), Path(sys.argv[2])
    services = build(Settings(data_dir=data_dir, database_url=None, cipher_key=None))
    config = uvicorn.Config(create_app(services), fd=fd, log_level="warning",
                            access_log=False)
    try:
        uvicorn.Server(config).run()
    finally:
        services.close()


if __name__ == "__main__":
    main()
