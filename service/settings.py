"""Service settings, read from ``MERCURY_KG_*`` environment variables (12-factor style)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    """Limits and switches of the web service; defaults are safe for a public endpoint."""

    query_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_QUERY_TIMEOUT", 10.0))
    """Seconds an ad-hoc SPARQL query may run before its worker process is killed."""
    row_cap: int = field(default_factory=lambda: _int("MERCURY_KG_ROW_CAP", 10_000))
    """Most rows (or triples) a response carries; more is cut and flagged."""
    workers: int = field(default_factory=lambda: _int("MERCURY_KG_WORKERS", 4))
    """Worker processes for ad-hoc SPARQL queries."""
    worker_memory_mb: int = field(default_factory=lambda: _int("MERCURY_KG_WORKER_MEMORY_MB", 2048))
    """Address-space limit of each worker process."""
    max_query_bytes: int = field(default_factory=lambda: _int("MERCURY_KG_MAX_QUERY_BYTES", 65_536))
    max_body_bytes: int = field(
        default_factory=lambda: _int("MERCURY_KG_MAX_BODY_BYTES", 1_048_576)
    )
    max_url_bytes: int = field(default_factory=lambda: _int("MERCURY_KG_MAX_URL_BYTES", 16_384))
    max_depth: int = field(default_factory=lambda: _int("MERCURY_KG_MAX_QUERY_DEPTH", 64))
    """Deepest nesting of brackets a query may have (a deep query crashes the parser)."""
    queue_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_QUEUE_TIMEOUT", 15.0))
    """Seconds a query may wait for a free worker before the service answers 503."""
    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(os.environ.get("MERCURY_KG_CORS_ORIGINS", "*").split(","))
    )
    rate: float = field(default_factory=lambda: _float("MERCURY_KG_RATE", 20.0))
    """Ad-hoc SPARQL requests per second per client (after the burst)."""
    burst: int = field(default_factory=lambda: _int("MERCURY_KG_BURST", 200))
    endpoint: str | None = field(default_factory=lambda: os.environ.get("MERCURY_KG_ENDPOINT"))
    """A remote SPARQL endpoint for named queries instead of the embedded store."""
