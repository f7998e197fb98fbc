"""Optional OpenTelemetry tracing: a span for every request, through Litestar's own plugin.

Off unless ``CPL_TRACING=true``, and then only with the ``tracing`` extra installed
(``pip install 'cpl[tracing]'``). cpl makes the spans; where they go is the deployment's
choice, through OpenTelemetry's own configuration — for example ``opentelemetry-instrument
cpl serve`` with ``OTEL_EXPORTER_OTLP_ENDPOINT`` set (the ``opentelemetry-distro`` package).
"""

from __future__ import annotations

from litestar.exceptions import MissingDependencyException
from litestar.plugins import InitPluginProtocol

from cpl.settings import Settings


def tracing_plugins(settings: Settings) -> list[InitPluginProtocol]:
    """Litestar's OpenTelemetry plugin when tracing is on; a clear error when its extra is missing."""
    if not settings.tracing:
        return []
    try:
        from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
    except (ImportError, MissingDependencyException) as error:
        raise RuntimeError("CPL_TRACING needs the tracing extra: pip install 'cpl[tracing]'") from error
    return [OpenTelemetryPlugin(OpenTelemetryConfig())]
