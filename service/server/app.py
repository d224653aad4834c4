"""The mercury-kg web service: ``create_app()`` builds a FastAPI app over the read-only graph.

Routes: the SPARQL 1.1 Protocol endpoint (``/sparql``), named queries over REST
(``/api/queries``), linked-data pages (``/id/...``), the dataset, its description, the ontology
and the shapes, and the query UI (``/``). Safe by default: read-only, screened queries run in
killable workers, request-size caps, CORS without credentials, security headers on every
response, errors as clear 4xx (see ../shared/design/security.md).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from graph.compile.build import Build, build_dataset
from graph.contrib.datadir import DataDir
from graph.contrib.folder import with_folder
from graph.contrib.ledger import Ledger
from service.accounts import people
from service.accounts import sessions as forms
from service.api import contrib, feed, queries, sparql, validation
from service.limits.bodies import RequestLimits
from service.limits.cache import CachedResponses, rewarm, warm
from service.pages import (
    contribute,
    dataset,
    home,
    network,
    passages,
    periods,
    report,
    resources,
    review,
    search,
    ui,
)
from service.server import errors, logs
from service.server.gatekeeper import GateProcess
from service.server.headers import SecurityHeaders
from service.server.headmethod import HeadAsGet
from service.server.settings import Settings
from service.server.state import make_state

HERE = Path(__file__).resolve().parent.parent
"""The ``service`` folder: its ``static/`` files and the npm packages of ``ui/``."""
NODE_MODULES = HERE / "ui" / "node_modules"
VENDOR = {
    "yasgui": NODE_MODULES / "@zazuko" / "yasgui" / "build",
    "cytoscape": NODE_MODULES / "cytoscape" / "dist",
    "cytoscape-svg": NODE_MODULES / "cytoscape-svg",
    "swagger-ui": NODE_MODULES / "swagger-ui-dist",
}
"""Front-end packages installed by npm (service/ui/package.json), served under /vendor/<name>."""


def create_app(settings: Settings | None = None, build: Build | None = None) -> FastAPI:
    """An app over ``build`` (default: the curated graph), started by its lifespan."""
    settings = settings or Settings()
    logs.install()  # after uvicorn has set up its loggers: no secret reaches them

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        baseline = build or with_folder(build_dataset())
        ledger = Ledger(DataDir.resolve(settings.data_dir), baseline)
        gatekeeper = ledger.gatekeeper = GateProcess(ledger.datadir.path, baseline)
        state = make_state(settings, baseline, ledger)
        try:
            await state.pools.start()
        except BaseException:
            await state.pools.close()
            raise
        app.state.kg = state
        state.warm_with = lambda previous: (
            warm(app, state.catalog) if previous is None else rewarm(app, previous.responses)
        )
        state.in_background()
        threading.Thread(target=state.networks.warm, name="network-warm", daemon=True).start()
        if ledger.has_accounts():  # a submission may come: the gate process loads meanwhile
            threading.Thread(target=gatekeeper.start, name="gate-start", daemon=True).start()
        try:
            yield
        finally:
            await state.pools.close()
            gatekeeper.close()
            ledger.close()

    app = FastAPI(
        title="mercury-kg",
        summary="Knowledge graph of the UNEP Global Mercury Partnership (report 2010-2012)",
        description="Read-only SPARQL 1.1 endpoint, named queries, linked data and downloads. "
        "Every fact cites the verbatim passage of the report it comes from.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by routes/ui.py from npm, not from a CDN
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Truncated", "X-Row-Cap", "ETag"],
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLimits, settings=settings)  # before anything reads a body
    app.add_middleware(  # a kept answer costs nothing else
        CachedResponses, skip=("/api/queries",) if settings.endpoint else ()
    )
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET without the body, kept answers too
    for router in (
        sparql.router,
        queries.router,
        resources.router,
        dataset.router,
        ui.router,
        home.router,
        validation.router,
        network.router,
        report.router,
        search.router,
        contrib.router,
        forms.router,
        contribute.router,
        review.router,
        people.router,
        feed.router,
        periods.router,
        passages.router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for name, directory in VENDOR.items():
        if directory.is_dir():
            app.mount(f"/vendor/{name}", StaticFiles(directory=directory), name=f"vendor-{name}")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def app_factory() -> FastAPI:
    """The app configured from the environment (for ``uvicorn --factory``)."""
    return create_app()


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    catalog = getattr(app.state, "kg", None)
    if catalog is not None:
        schema["paths"].update(queries.openapi_paths(catalog.catalog))
    else:
        from graph.query.catalog import load_catalog

        schema["paths"].update(queries.openapi_paths(load_catalog()))
    app.openapi_schema = schema
    return schema
