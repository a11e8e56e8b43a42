"""Records a journey's workflow history for the replay test.

Run after a deliberate change to the workflow, never to paper over a replay failure:
    .venv/bin/python -m tests.histories.record_history
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

from temporalio.testing import TimeSkipper, TimeSkippingConfig

from tests.conftest import make_settings
from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.journeys import (
    handle,
    is_missed,
    relay_all,
    running_worker,
    until_planned,
    wait_for_entry,
)
from tests.support.temporal_server import TIME_SKIPPING_ARGS, start_dev_server
from vaka.bootstrap import build

OUT = Path(__file__).parent / "child_journey_missing_found.json"


async def main() -> None:
    server = await start_dev_server(Path(tempfile.mkdtemp()), TIME_SKIPPING_ARGS)
    env = TimeSkipper(server.client,
                      config=TimeSkippingConfig(enabled=False, max_session_skip_count=10000))
    svc = build(make_settings(Path(tempfile.mkdtemp())))
    child_id = register_child(svc.case_file)
    report_missing(svc.case_file, child_id, now() - timedelta(hours=1))
    async with running_worker(env.client, svc) as queue:
        await relay_all(env.client, svc, queue)
        await env.fast_forward(handle(env.client, child_id), timedelta(hours=25))
        await wait_for_entry(svc, child_id, is_missed("missing.police_report"))
        record_event(svc.case_file, child_id, "Found", location="sweden")
        await relay_all(env.client, svc, queue)
        await until_planned(env.client, child_id, svc.case_file.get_case(child_id).version)
        history = await handle(env.client, child_id).fetch_history()
    OUT.write_text(history.to_json())
    print(f"wrote {OUT} ({len(history.events)} events)")
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
