"""``POST /api/validate``: check RDF data against the graph's SHACL shapes, without storing it.

For partners and curators who prepare data in the same model. The upload is screened before any
parser sees it (security.md cases 3, 4, 9): XML with a DOCTYPE or entity declaration is refused,
JSON-LD may not load remote contexts (Oxigraph refuses them), size is capped, and parsing and
validation run in a killable worker without network, in a pool of its own (one job per client at
a time, and the upload rate limit), under the query deadline.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.sandbox.guard import QueryRefused
from service.sandbox.worker_main import ValidateJob
from service.server.deps import StateDep, client_of, take_token

router = APIRouter(tags=["Validation"])
MEDIA = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nq",
}
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

_BODY = {
    "requestBody": {
        "required": True,
        "content": {media: {"schema": {"type": "string"}} for media in MEDIA},
    }
}


@router.post(
    "/api/validate", summary="Check RDF data against the SHACL shapes", openapi_extra=_BODY
)
async def validate_data(request: Request, state: StateDep) -> Response:
    """Answer a validation report: conforms, number of triples, and each violation."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA:
        raise QueryRefused(f"send RDF as one of {', '.join(MEDIA)}", 415)
    client = client_of(request, state.settings)
    take_token(state.upload_limiter, client, "posted networks and validations")
    body = await request.body()  # capped and timed by service.limits.bodies
    if not body.strip():
        raise QueryRefused("the request body is empty")
    if _DOCTYPE.search(body):
        raise QueryRefused("XML document type and entity declarations are not accepted")
    job = ValidateJob(body, MEDIA[media])
    answer = await state.pools.validation.run(job, state.settings.query_timeout, client)
    if not answer.ok:
        raise QueryRefused(answer.error, answer.status)
    return Response(answer.body, media_type="application/json")
