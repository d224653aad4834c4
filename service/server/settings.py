"""Service settings, read from ``MERCURY_KG_*`` environment variables (12-factor style).

Every limit the README's safety section lists is one of these; defaults are safe for a public
endpoint. A malformed value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


class SettingError(ValueError):
    """An environment variable that does not hold what its setting needs."""


def _number(name: str, default: float, kind: type[int] | type[float]) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a {kind.__name__}") from None
    if value < 0:
        raise SettingError(f"{name}={raw!r}: expected a number >= 0")
    return value


def _int(name: str, default: int) -> int:
    return int(_number(name, default, int))


def _float(name: str, default: float) -> float:
    return float(_number(name, default, float))


def _text(name: str) -> str | None:
    return os.environ.get(name) or None


def _sandbox() -> str:
    value = os.environ.get("MERCURY_KG_SANDBOX", "netns")
    if value not in ("netns", "weak"):
        raise SettingError(f"MERCURY_KG_SANDBOX={value!r}: expected 'netns' or 'weak'")
    return value


@dataclass(frozen=True)
class Settings:
    """Limits and switches of the web service."""

    query_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_QUERY_TIMEOUT", 10.0))
    """Seconds an ad-hoc query (or validation, or posted network) may run before its worker is
    killed: answered 422."""
    row_cap: int = field(default_factory=lambda: _int("MERCURY_KG_ROW_CAP", 10_000))
    """Most rows (or triples) a response carries; more is cut and flagged."""
    workers: int = field(default_factory=lambda: _int("MERCURY_KG_WORKERS", 4))
    """Worker processes for ad-hoc SPARQL queries."""
    client_workers: int = field(default_factory=lambda: _int("MERCURY_KG_CLIENT_WORKERS", 0))
    """Most query workers one client may hold at once (0: half the pool, at least 1): 429."""
    validate_workers: int = field(default_factory=lambda: _int("MERCURY_KG_VALIDATE_WORKERS", 1))
    """Worker processes for ``POST /api/validate`` (a pool of their own)."""
    network_workers: int = field(default_factory=lambda: _int("MERCURY_KG_NETWORK_WORKERS", 1))
    """Worker processes that lay out and draw posted networks (a pool of their own)."""
    worker_memory_mb: int = field(default_factory=lambda: _int("MERCURY_KG_WORKER_MEMORY_MB", 2048))
    """Address-space limit of each worker process."""
    intake_workers: int = field(default_factory=lambda: _int("MERCURY_KG_INTAKE_WORKERS", 1))
    """Worker processes that read submissions and forms from their bytes (the write path)."""
    intake_memory_mb: int = field(default_factory=lambda: _int("MERCURY_KG_INTAKE_MEMORY_MB", 320))
    """Address-space limit of each intake worker: a submission is at most a megabyte."""
    intake_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_INTAKE_TIMEOUT", 10.0))
    """Seconds reading one submission or form may take before its worker is killed."""
    sandbox: str = field(default_factory=_sandbox)
    """'netns': workers run in an empty network namespace or the service does not start;
    'weak': run without one if it cannot be made (``/health`` says so)."""
    max_query_bytes: int = field(default_factory=lambda: _int("MERCURY_KG_MAX_QUERY_BYTES", 65_536))
    max_body_bytes: int = field(
        default_factory=lambda: _int("MERCURY_KG_MAX_BODY_BYTES", 1_048_576)
    )
    """Largest request body on every route but posted networks: 413."""
    max_network_body_bytes: int = field(
        default_factory=lambda: _int("MERCURY_KG_MAX_NETWORK_BODY_BYTES", 4_194_304)
    )
    """Largest body of ``POST /api/network/graph`` (5,000 edges with long IRIs fit): 413."""
    max_url_bytes: int = field(default_factory=lambda: _int("MERCURY_KG_MAX_URL_BYTES", 16_384))
    max_depth: int = field(default_factory=lambda: _int("MERCURY_KG_MAX_QUERY_DEPTH", 64))
    """Deepest nesting of brackets a query may have (a deep query crashes the parser)."""
    queue_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_QUEUE_TIMEOUT", 2.0))
    """Seconds a job may wait for a free worker before the service answers 429."""
    body_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_BODY_TIMEOUT", 10.0))
    """Seconds a client may take to send its request body: 408."""
    header_timeout: float = field(default_factory=lambda: _float("MERCURY_KG_HEADER_TIMEOUT", 10.0))
    """Seconds a connection may take to send a request's headers before it is closed."""
    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(os.environ.get("MERCURY_KG_CORS_ORIGINS", "*").split(","))
    )
    rate: float = field(default_factory=lambda: _float("MERCURY_KG_RATE", 20.0))
    """Ad-hoc SPARQL requests per second per client (after the burst): 429."""
    burst: int = field(default_factory=lambda: _int("MERCURY_KG_BURST", 200))
    upload_rate: float = field(default_factory=lambda: _float("MERCURY_KG_UPLOAD_RATE", 1.0))
    """Validations and posted networks per second per client (after the burst): 429."""
    upload_burst: int = field(default_factory=lambda: _int("MERCURY_KG_UPLOAD_BURST", 30))
    guess_burst: int = field(default_factory=lambda: _int("MERCURY_KG_GUESS_BURST", 10))
    """Wrong tokens one account id may get at once (from any client) before 429."""
    guesses_per_minute: float = field(
        default_factory=lambda: _float("MERCURY_KG_GUESSES_PER_MINUTE", 2.0)
    )
    """Wrong tokens per minute one account id may get after the burst."""
    cache_bytes: int = field(
        default_factory=lambda: _int("MERCURY_KG_CACHE_BYTES", 64 * 1024 * 1024)
    )
    """Memory for whole read answers of this revision (service/limits/cache.py); 0: none."""
    client_header: str | None = field(default_factory=lambda: _text("MERCURY_KG_CLIENT_HEADER"))
    """Behind a reverse proxy: the header naming the client (e.g. X-Forwarded-For; its last
    entry, the one the proxy added, is used). Unset: the connection's address."""
    public_url: str | None = field(default_factory=lambda: _text("MERCURY_KG_PUBLIC_URL"))
    """The service's public base URL for absolute links (service description, dataset); unset:
    the address the server listens on. Never taken from the Host header."""
    endpoint: str | None = field(default_factory=lambda: _text("MERCURY_KG_ENDPOINT"))
    """A remote SPARQL endpoint for named queries instead of the embedded store."""
    data_dir: str = field(default_factory=lambda: _text("MERCURY_KG_DATA_DIR") or "data")
    """The write path's state: accounts, submissions, reviews (``mercury-kg serve --data-dir``)."""

    @property
    def per_client(self) -> int:
        """Query workers one client may hold at once."""
        return self.client_workers or max(1, self.workers // 2)
