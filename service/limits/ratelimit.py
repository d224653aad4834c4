"""Rate limits: per client for ad-hoc SPARQL and uploads, per account for wrong tokens.

The Wikidata Query Service model: 429 with ``Retry-After`` (security.md case 18). Token buckets
keyed by client address, in memory. Wrong tokens are also limited per account (OWASP
Authentication Cheat Sheet, "Protect against automated attacks": per account as well as per
address), so guessing one account's secret from many addresses is as slow as from one.
"""

from __future__ import annotations

import math
import threading
import time


class TokenBuckets:
    """``rate`` requests per second per client, with bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate, self.burst, self.max_clients = rate, burst, max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def peek(self, client: str) -> float:
        """The seconds until the client has a token again (0: it has one now); spends none."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                return 0.0
            return (1.0 - tokens) / self.rate if self.rate > 0 else math.inf

    def take(self, client: str) -> float:
        """Spend one token; return 0 if allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) >= self.max_clients and client not in self._buckets:
                self._buckets.clear()  # crude, bounded memory; a reverse proxy does better
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate if self.rate > 0 else math.inf


class Guesses:
    """Failed sign-ins per account id: ``burst`` at once, then one per ``1 / rate`` seconds."""

    def __init__(self, rate: float, burst: int) -> None:
        self._buckets = TokenBuckets(rate, burst)

    def wait(self, account_id: str) -> float:
        """Seconds before this account may be tried again (0: now)."""
        return self._buckets.peek(account_id)

    def failed(self, account_id: str) -> None:
        """Count one wrong token for this account id (known or not: both are counted alike)."""
        self._buckets.take(account_id)
