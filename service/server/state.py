"""What the service holds once started: the dataset, its dumps, the engines and the catalogue.

Built in the app's lifespan; request handlers only read it. The published graph is one
``Snapshot`` at a time: an accepted (or retracted) submission makes a new one from the current
one inside the engine (its named graph added or removed), the query workers are reloaded with
its N-Quads, the answers readers asked of the old one are made again of the new one (requests
run in a context that sees the new snapshot while everyone else still reads the old), and then
it replaces the old in one assignment: no reader waits for a publish, none sees half of one.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset
from starlette.concurrency import run_in_threadpool

from graph.compile.build import Build, new_dataset
from graph.contrib.ledger import Ledger
from graph.contrib.submission import graph_iri
from graph.namespaces import PREFIXES
from graph.publish.export import serialize
from graph.publish.search import SearchIndex
from graph.query.catalog import NamedQuery, load_catalog
from graph.query.engine import EmbeddedEngine, Engine
from service.limits.cache import ResponseCache
from service.limits.ratelimit import Guesses, TokenBuckets
from service.pages.netviews import NetworkViews
from service.sandbox.guard import QueryRefused
from service.sandbox.worker_main import Setup
from service.sandbox.workers import Pools, WorkerPool
from service.server.settings import Settings


@dataclass
class Snapshot:
    """One revision of the published graph and everything derived from it (read-only)."""

    revision: int
    engine: EmbeddedEngine
    """In-process store for named queries and resource pages (vetted, bounded queries)."""
    named_engine: Engine
    """Where named queries run: the embedded store, or the configured remote endpoint."""
    nquads: bytes
    etag: str
    local_graphs: frozenset[str]
    networks: NetworkViews
    """Network views, made on first request and kept."""
    modified: str | None = None
    """When the last contribution was accepted or retracted (None: the curated build alone)."""
    home_pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The home page's context per label language, made on first request."""
    dumps: dict[str, bytes] = field(default_factory=dict)
    responses: ResponseCache = field(default_factory=lambda: ResponseCache(0))
    """Whole read responses of this revision (service/limits/cache.py)."""
    made_from: Build | None = None
    """The rdflib dataset, where the snapshot was made from one (else made on first use)."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _search: SearchIndex | None = None

    @property
    def search(self) -> SearchIndex:
        """Names and passages, indexed for ``/api/search``.

        Made on first use: an accept does not pay for it, the first search after it does.
        """
        with self._lock:
            if self._search is None:
                self._search = SearchIndex(self.engine)
            return self._search

    @property
    def build(self) -> Build:
        """The revision as an rdflib dataset (for dumps and descriptions; parsed once)."""
        with self._lock:
            if self.made_from is None:
                ds = new_dataset()
                ds.parse(data=self.nquads.decode("utf-8"), format="nquads")
                self.made_from = Build(ds, {})
            return self.made_from


def _snapshot(
    settings: Settings, engine: EmbeddedEngine, revision: int, modified: str | None
) -> Snapshot:
    nquads = engine.store.dump(format=ox.RdfFormat.N_QUADS) or b""
    named: Engine = engine
    if settings.endpoint:
        from graph.query.remote import RemoteEngine

        named = RemoteEngine(settings.endpoint)
    return Snapshot(
        revision=revision,
        modified=modified,
        engine=engine,
        named_engine=named,
        nquads=nquads,
        etag='"' + hashlib.sha256(nquads).hexdigest()[:32] + '"',
        local_graphs=frozenset(str(g.value) for g in engine.store.named_graphs()),
        networks=NetworkViews(engine),
        responses=ResponseCache(settings.cache_bytes),
    )


def advanced(
    settings: Settings,
    current: Snapshot,
    revision: int,
    modified: str | None,
    changes: list[tuple[int, str, str, bytes]],
) -> Snapshot:
    """The next snapshot made from the current one: accepted graphs added, retracted removed.

    Everything is done by the engine (N-Quads in and out), so publishing costs little of the
    server process however large the graph.
    """
    store = ox.Store()
    store.load(current.nquads, format=ox.RdfFormat.N_QUADS)
    for _rev, sid, action, nquads in changes:
        if action == "accepted":
            store.load(nquads, format=ox.RdfFormat.N_QUADS)
        else:
            store.remove_graph(ox.NamedNode(str(graph_iri(sid))))
    return _snapshot(settings, EmbeddedEngine(store), revision, modified)


def snapshot(
    settings: Settings, build: Build, revision: int = 0, modified: str | None = None
) -> Snapshot:
    """Load the engines and indexes of one revision."""
    snap = _snapshot(settings, EmbeddedEngine.from_dataset(build.dataset), revision, modified)
    snap.made_from = build
    return snap


HISTORY_KEPT = 4
"""Earlier revisions kept in memory for ``?revision=N``."""

_preparing: ContextVar[Snapshot | None] = ContextVar("preparing", default=None)
"""The snapshot a publish is preparing, for the requests it makes of it (cache warming)."""


@dataclass
class ServiceState:
    """The published graph (one snapshot at a time) and the service around it."""

    settings: Settings
    live: Snapshot
    """The published snapshot; routes read :attr:`current`."""
    catalog: dict[str, NamedQuery]
    pools: Pools
    """Killable, network-less workers: ad-hoc SPARQL, validation, posted networks."""
    limiter: TokenBuckets | None = None
    """Ad-hoc SPARQL requests per client."""
    upload_limiter: TokenBuckets | None = None
    guesses: Guesses | None = None
    """Wrong tokens per account id (service.limits.ratelimit.Guesses)."""
    """Validations and posted networks per client."""
    ontology_html: str | None = None
    """The pyLODE page, made on first request (about a second)."""
    ledger: Ledger | None = None
    """The write path (accounts, submissions, review) over the data directory."""
    _publishing: asyncio.Lock = field(default_factory=asyncio.Lock)
    warm_with: Callable[[Snapshot | None], Coroutine[Any, Any, object]] | None = None
    """Fills the response cache of :attr:`current`: at start-up in the background (None), and
    in a publish before the switch, given the snapshot being replaced (the app asks again what
    readers asked of it)."""
    _background: set[asyncio.Task[object]] = field(default_factory=set)
    _history: dict[int, Snapshot] = field(default_factory=dict)
    """Earlier revisions asked for (``at_revision``), the oldest asked first."""

    @property
    def current(self) -> Snapshot:
        """The published snapshot (for the requests of a publish, the one it prepares)."""
        return _preparing.get() or self.live

    # The snapshot's parts, read by the routes; a request that reads several may span a publish.
    @property
    def build(self) -> Build:
        """The published build."""
        return self.current.build

    @property
    def dataset(self) -> Dataset:
        """The rdflib dataset."""
        return self.current.build.dataset

    @property
    def engine(self) -> EmbeddedEngine:
        """The embedded store of the published graph."""
        return self.current.engine

    @property
    def named_engine(self) -> Engine:
        """Where named queries run."""
        return self.current.named_engine

    @property
    def nquads(self) -> bytes:
        """The published graph as N-Quads."""
        return self.current.nquads

    @property
    def etag(self) -> str:
        """The published graph's entity tag (changes with every revision)."""
        return self.current.etag

    @property
    def local_graphs(self) -> frozenset[str]:
        """Named graphs of the published graph."""
        return self.current.local_graphs

    @property
    def networks(self) -> NetworkViews:
        """Network views of the published graph."""
        return self.current.networks

    @property
    def search(self) -> SearchIndex:
        """The search index of the published graph."""
        return self.current.search

    @property
    def home_pages(self) -> dict[str, dict[str, Any]]:
        """Home page contexts of the published graph."""
        return self.current.home_pages

    def dump(self, fmt: str) -> bytes:
        """The whole dataset in a format (made once per revision, then cached)."""
        dumps = self.current.dumps
        if fmt not in dumps:
            dumps[fmt] = serialize(self.dataset, fmt).encode("utf-8")
        return dumps[fmt]

    async def publish(self) -> None:
        """Move to the ledger's current revision: new snapshot, query workers reloaded.

        One publish at a time: two accepts publishing at once must not leave the older revision
        in place (the later caller finds the work done, or does the rest of it).
        """
        if self.ledger is None:
            return
        async with self._publishing:
            await self._publish(self.ledger)

    async def _publish(self, ledger: Ledger) -> None:
        current = self.current
        revision, modified, changes = await run_in_threadpool(ledger.changes, current.revision)
        if revision <= current.revision:
            return
        if changes is not None:
            fresh = await run_in_threadpool(
                advanced, self.settings, current, revision, modified, changes
            )
        else:  # the log does not reach back to the current revision: rebuild in full
            published = await run_in_threadpool(ledger.published)
            fresh = await run_in_threadpool(
                snapshot, self.settings, published.build, published.revision, published.modified
            )
        await self.pools.queries.reload(self._query_setup(fresh))
        if self.warm_with is not None:
            token = _preparing.set(fresh)
            try:
                await self.warm_with(current)
            finally:
                _preparing.reset(token)
        self.live = fresh

    async def at_revision(self, asked: str | None) -> Snapshot:
        """The snapshot of the revision a request names (``?revision=N``), else the current one.

        Every accepted revision stays queryable (Quit Store's model: any commit can be queried);
        a few recent ones are kept in memory, the others composed again from the ledger.

        Raises:
            QueryRefused: 400 when not a whole number, 404 when there is no such revision.
        """
        current = self.current
        if asked is None:
            return current
        if not asked.isdigit() or len(asked) > 9:
            raise QueryRefused(f"revision must be a whole number, not {asked[:20]!r}")
        number = int(asked)
        if number == current.revision:
            return current
        if number > current.revision or self.ledger is None:
            raise QueryRefused(
                f"revision {number} does not exist: the published revision is {current.revision}",
                404,
            )
        kept = self._history.get(number)
        if kept is None:
            build = await run_in_threadpool(self.ledger.published_at, number)
            kept = await run_in_threadpool(snapshot, self.settings, build, number)
            self._history[number] = kept
            while len(self._history) > HISTORY_KEPT:
                self._history.pop(next(iter(self._history)))
        return kept

    def in_background(self) -> None:
        """Start warming the current snapshot's cache (at start-up) without waiting for it."""
        if self.warm_with is not None:
            task: asyncio.Task[object] = asyncio.create_task(self.warm_with(None))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    def _query_setup(self, snap: Snapshot) -> Setup:
        return Setup(
            snap.nquads,
            self.settings.worker_memory_mb,
            prefixes(),
            snap.local_graphs,
            self.settings.sandbox != "weak",
        )


def prefixes() -> dict[str, str]:
    """The shared prefix map as plain strings."""
    return {k: str(v) for k, v in PREFIXES.items()}


def make_state(settings: Settings, build: Build, ledger: Ledger | None = None) -> ServiceState:
    """Load the engines and the catalogue for a built dataset (the pool is started separately)."""
    published = ledger.published() if ledger is not None else None
    current = snapshot(
        settings,
        published.build if published else build,
        published.revision if published else 0,
        published.modified if published else None,
    )
    confined = settings.sandbox != "weak"
    queries = Setup(
        current.nquads, settings.worker_memory_mb, prefixes(), current.local_graphs, confined
    )
    uploads = Setup(None, settings.worker_memory_mb, prefixes(), current.local_graphs, confined)
    intake = Setup(None, settings.intake_memory_mb, prefixes(), current.local_graphs, confined)
    timeout = settings.queue_timeout
    return ServiceState(
        settings=settings,
        live=current,
        catalog=load_catalog(),
        pools=Pools(
            WorkerPool("query", queries, settings.workers, settings.per_client, timeout),
            WorkerPool("validation", uploads, settings.validate_workers, 1, timeout),
            WorkerPool("network", uploads, settings.network_workers, 1, timeout),
            WorkerPool("intake", intake, settings.intake_workers, 1, timeout),
        ),
        limiter=TokenBuckets(settings.rate, settings.burst),
        upload_limiter=TokenBuckets(settings.upload_rate, settings.upload_burst),
        guesses=Guesses(settings.guesses_per_minute / 60, settings.guess_burst),
        ledger=ledger,
    )
