"""OpenTelemetry tracing: the API's requests, the relay's signals, the journey workflow and
its activities (Temporal's TracingInterceptor carries the context between them).

Off unless the standard OTEL_TRACES_EXPORTER names an exporter: `console` (one JSON line a
span on standard output) or `otlp` (OTLP over HTTP; OTEL_EXPORTER_OTLP_ENDPOINT and the other
OTEL_EXPORTER_OTLP_* variables are read by the exporter itself). OTEL_SERVICE_NAME names
the process; unset, it is vaka-<role>. Spans carry ids, routes, names of workflows and
activities and status codes: never a query string, a body or anything of a child.
"""

from __future__ import annotations

import os
from typing import Any

EXPORTERS = ("none", "console", "otlp")


def exporter_name() -> str:
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return "none"
    name = os.environ.get("OTEL_TRACES_EXPORTER", "none").strip().lower() or "none"
    if name not in EXPORTERS:
        raise SystemExit(f"vaka: OTEL_TRACES_EXPORTER must be one of {', '.join(EXPORTERS)},"
                         f" not {name!r}")
    return name


def setup(role: str) -> bool:
    """Install the tracer provider for this process; False when tracing is off."""
    name = exporter_name()
    if name == "none":
        return False
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": f"vaka-{role}"}
    provider = TracerProvider(resource=Resource.create(attributes))
    exporter: SpanExporter
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        # One line a span (the default is indented JSON), so it stays whole among the
        # log lines of the other processes writing to the same output.
        exporter = ConsoleSpanExporter(formatter=lambda span: span.to_json(indent=None) + "\n")
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return True


def is_on() -> bool:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    return isinstance(trace.get_tracer_provider(), TracerProvider)


def shutdown() -> None:
    """Send the spans still buffered before the process ends."""
    from opentelemetry import trace

    provider: Any = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def temporal_interceptors() -> list[Any]:
    """For Client.connect: spans for starting and signalling workflows, and, through the
    worker that uses the client, for workflows and activities. None when tracing is off."""
    if not is_on():
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor()]
