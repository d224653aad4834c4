"""What the service holds once started: the dataset, its dumps, the engines and the catalogue.

Built once in the app's lifespan; request handlers only read it (the graph is read-only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset

from graph.compile.build import Build
from graph.namespaces import PREFIXES
from graph.publish.export import serialize
from graph.publish.search import SearchIndex
from graph.query.catalog import NamedQuery, load_catalog
from graph.query.engine import EmbeddedEngine, Engine
from service.netviews import NetworkViews
from service.ratelimit import TokenBuckets
from service.sandbox.worker_main import Setup
from service.sandbox.workers import Pools, WorkerPool
from service.settings import Settings


@dataclass
class ServiceState:
    """The read-only graph and everything derived from it."""

    settings: Settings
    build: Build
    engine: EmbeddedEngine
    """In-process store for named queries and resource pages (vetted, bounded queries)."""
    named_engine: Engine
    """Where named queries run: the embedded store, or the configured remote endpoint."""
    catalog: dict[str, NamedQuery]
    pools: Pools
    """Killable, network-less workers: ad-hoc SPARQL, validation, posted networks."""
    nquads: bytes
    etag: str
    local_graphs: frozenset[str]
    networks: NetworkViews
    """Network views, made on first request and kept."""
    search: SearchIndex
    """Names and passages, indexed for ``/api/search``."""
    limiter: TokenBuckets | None = None
    """Ad-hoc SPARQL requests per client."""
    upload_limiter: TokenBuckets | None = None
    """Validations and posted networks per client."""
    ontology_html: str | None = None
    """The pyLODE page, made on first request (about a second)."""
    home_pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The home page's context per label language, made on first request (the graph is fixed)."""
    _dumps: dict[str, bytes] = field(default_factory=dict)

    @property
    def dataset(self) -> Dataset:
        """The rdflib dataset."""
        return self.build.dataset

    def dump(self, fmt: str) -> bytes:
        """The whole dataset in a format (made once, then cached)."""
        if fmt not in self._dumps:
            self._dumps[fmt] = serialize(self.dataset, fmt).encode("utf-8")
        return self._dumps[fmt]


def prefixes() -> dict[str, str]:
    """The shared prefix map as plain strings."""
    return {k: str(v) for k, v in PREFIXES.items()}


def make_state(settings: Settings, build: Build) -> ServiceState:
    """Load the engines and the catalogue for a built dataset (the pool is started separately)."""
    engine = EmbeddedEngine.from_dataset(build.dataset)
    nquads = engine.store.dump(format=ox.RdfFormat.N_QUADS) or b""
    named: Engine = engine
    if settings.endpoint:
        from graph.query.remote import RemoteEngine

        named = RemoteEngine(settings.endpoint)
    graphs = frozenset(str(g.identifier) for g in build.dataset.graphs() if len(g))
    confined = settings.sandbox != "weak"
    queries = Setup(nquads, settings.worker_memory_mb, prefixes(), graphs, confined)
    uploads = Setup(None, settings.worker_memory_mb, prefixes(), graphs, confined)
    timeout = settings.queue_timeout
    return ServiceState(
        settings=settings,
        build=build,
        engine=engine,
        named_engine=named,
        catalog=load_catalog(),
        pools=Pools(
            WorkerPool("query", queries, settings.workers, settings.per_client, timeout),
            WorkerPool("validation", uploads, settings.validate_workers, 1, timeout),
            WorkerPool("network", uploads, settings.network_workers, 1, timeout),
        ),
        nquads=nquads,
        etag='"' + hashlib.sha256(nquads).hexdigest()[:32] + '"',
        local_graphs=graphs,
        networks=NetworkViews(engine),
        search=SearchIndex(engine),
        limiter=TokenBuckets(settings.rate, settings.burst),
        upload_limiter=TokenBuckets(settings.upload_rate, settings.upload_burst),
    )
