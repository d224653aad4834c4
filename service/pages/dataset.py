"""The dataset as a whole.

Downloads in every RDF format, its VoID/DCAT description, the ontology (HTML from pyLODE, or
Turtle) and the SHACL shapes; ETag and caching headers.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from rdflib.namespace import RDF as RDF_NS
from rdflib.namespace import RDFS, SH

from graph import paths
from graph.compile.build import ONTOLOGY_GRAPH
from graph.namespaces import shorten
from graph.publish.docs import ontology_html
from graph.publish.void import describe_dataset
from service.api.negotiation import HTML, RDF
from service.api.responses import graph_response, page_or_rdf
from service.pages.render import render
from service.server.deps import StateDep, base_url

router = APIRouter(tags=["Dataset"])
CACHE = "public, max-age=3600"
EXTENSIONS = {
    "ttl": "ttl",
    "nt": "nt",
    "nq": "nq",
    "trig": "trig",
    "jsonld": "jsonld",
    "rdf": "xml",
}


@router.get("/dataset.{ext}", summary="Download the whole dataset")
async def download(ext: str, request: Request, state: StateDep) -> Response:
    """The whole graph (triple formats: all named graphs merged; quad formats keep them)."""
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        raise HTTPException(404, f"no download .{ext}; offered: {', '.join(EXTENSIONS)}")
    etag = f'{state.etag[:-1]}-{ext}"'
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE,
        "Content-Disposition": f'attachment; filename="mercury-kg.{ext}"',
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body = await run_in_threadpool(state.dump, fmt)
    return Response(body, media_type=f"{RDF[fmt].media_type}; charset=utf-8", headers=headers)


@router.get("/dataset", summary="VoID and DCAT description of the dataset")
async def dataset(request: Request, state: StateDep) -> Response:
    """What the dataset holds, its licence, source, endpoint and downloads."""
    fmt = page_or_rdf(request, "the description")
    current = state.current
    graph = describe_dataset(
        current.build.dataset, base_url(request, state.settings), current.revision, current.modified
    )
    etag = {"ETag": f'{current.etag[:-1]}-void"'}
    if fmt is HTML:
        return HTMLResponse(
            render(
                "dataset.html",
                turtle=graph.serialize(format="turtle"),
                quads=len(current.build.dataset),
                downloads=list(EXTENSIONS),
            ),
            headers=etag,
        )
    response = graph_response(graph, fmt)
    response.headers.update(etag)
    return response


@router.get("/.well-known/void", include_in_schema=False)
async def well_known_void() -> RedirectResponse:
    """VoID's well-known location (https://www.w3.org/TR/void/#well-known)."""
    return RedirectResponse("/dataset", status_code=303)


@router.get("/def", summary="The ontology (HTML documentation or RDF)")
async def ontology(request: Request, state: StateDep) -> Response:
    """The mercury-kg ontology: pyLODE HTML for browsers, Turtle and other RDF formats."""
    fmt = page_or_rdf(request, "the ontology")
    graph = state.dataset.graph(ONTOLOGY_GRAPH)
    if fmt is HTML:
        if state.ontology_html is None:
            state.ontology_html = await run_in_threadpool(ontology_html, graph)
        html = state.ontology_html
        return HTMLResponse(html, headers={"Cache-Control": CACHE})
    return graph_response(graph, fmt, {"Cache-Control": CACHE})


@router.get("/shapes", summary="The SHACL shapes (HTML list or RDF, by Accept or ?format=)")
async def shapes(request: Request) -> Response:
    """Every shape: a page listing them for browsers; Turtle, JSON-LD and the other RDF formats."""
    from graph.check.validate import load_shapes

    fmt = page_or_rdf(request, "the shapes")
    graph = load_shapes(paths.SHAPES_DIR)
    if fmt is HTML:
        listed = sorted(
            (
                str(graph.value(shape, RDFS.label) or shape),
                str(graph.value(shape, RDFS.comment) or ""),
                ", ".join(sorted(shorten(str(t)) for t in graph.objects(shape, SH.targetClass))),
            )
            for shape in set(graph.subjects(RDF_NS.type, SH.NodeShape))
        )
        page = render("shapes.html", shapes=listed, turtle=graph.serialize(format="turtle"))
        return HTMLResponse(page, headers={"Cache-Control": CACHE, "Vary": "Accept"})
    return graph_response(graph, fmt, {"Cache-Control": CACHE})


@router.get("/health", summary="Liveness, size and how workers are confined")
async def health(state: StateDep) -> dict[str, object]:
    """``ok`` while the service answers; the quads served; what confines the query workers.

    ``sandbox`` is "network namespace" when workers have no network at all, and "none" only when
    ``MERCURY_KG_SANDBOX=weak`` allowed starting without one (the query screen alone then keeps
    SERVICE out).
    """
    pools = {
        pool.name: {"workers": pool.size, "per_client": pool.per_client} for pool in state.pools.all
    }
    return {
        "status": "ok",
        "quads": len(state.dataset),
        "queries": len(state.catalog),
        "sandbox": state.pools.queries.sandbox or "none",
        "pools": pools,
    }
