"""Remote SPARQL 1.1 endpoints: run named queries there, and push the graph there.

Queries go through SPARQLWrapper (SPARQL 1.1 Protocol); the graph is pushed with the SPARQL 1.1
Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/).

Credentials come from the environment (``MERCURY_KG_USER``, ``MERCURY_KG_PASSWORD``), never from
the command line, so they stay out of shell history and process listings.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from graph import paths
from graph.query.engine import QueryError, pick_label, with_prologue, with_values
from graph.query.results import Result, from_json

LABELS_QUERY = paths.QUERIES_DIR / "support" / "labels.rq"
USER_ENV, PASSWORD_ENV = "MERCURY_KG_USER", "MERCURY_KG_PASSWORD"


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint."""

    def __init__(self, endpoint: str, timeout: int = 30) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise QueryError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT with parameters as a VALUES block; read W3C JSON results."""
        return self._run(with_values(text, dict(bindings or {})))

    def labels(self, iris: list[URIRef], lang: str = "en") -> dict[URIRef, str]:
        """Labels of the IRIs in ``lang`` (else English), asked from the endpoint in batches."""
        names: dict[URIRef, dict[str, str]] = {}
        text = LABELS_QUERY.read_text(encoding="utf-8")
        for i in range(0, len(iris), 200):
            batch: list[Node] = list(iris[i : i + 200])
            result = self._run(with_values(text, {"iri": batch}))
            for iri, label, tag in result.rows:
                if iri and label:
                    found = names.setdefault(URIRef(str(iri)), {})
                    found.setdefault(str(tag or ""), str(label))
        return {iri: pick_label(found, lang) for iri, found in names.items()}

    def _run(self, text: str) -> Result:
        # Full-line comments go: SPARQLWrapper guesses the query form from keywords and would
        # take an "add" in a comment for SPARQL Update.
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        text = with_prologue(text)
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(self.timeout)
        client.setQuery(text)
        try:
            doc = client.query().convert()
        except Exception as exc:  # SPARQLWrapper raises urllib and its own error types
            raise QueryError(f"{self.endpoint}: {exc}") from exc
        if not isinstance(doc, dict) or "results" not in doc:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results")
        return from_json(doc)


def push(dataset: Dataset, store_url: str, graph: str | None = None, timeout: int = 60) -> int:
    """PUT each named graph (or, with ``graph``, their union) to a Graph Store endpoint.

    Returns the number of triples sent. Raises QueryError with the server's answer on failure.
    """
    if not store_url.startswith(("http://", "https://")):
        raise QueryError(f"graph store URL must be http(s), got {store_url!r}")
    opener = _opener(store_url)
    parts: list[tuple[str, Graph]] = []
    if graph is not None:
        union = Graph()
        for ctx in dataset.graphs():
            for triple in ctx:
                union.add(triple)
        parts.append((graph, union))
    else:
        parts = [(str(g.identifier), g) for g in dataset.graphs() if len(g)]
    sent = 0
    for name, part in parts:
        body = part.serialize(format="nt", encoding="utf-8")
        url = f"{store_url}?{urllib.parse.urlencode({'graph': name})}"
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, data=body, method="PUT", headers={"Content-Type": "text/plain; charset=utf-8"}
        )
        _authorize(request)
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise QueryError(f"{store_url}: graph {name}: HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(f"{store_url}: {getattr(exc, 'reason', exc)}") from exc
        sent += len(part)
    return sent


def _authorize(request: urllib.request.Request) -> None:
    """Answer the server's authentication challenge before sending the body.

    A large PUT that meets a 401 mid-upload breaks the pipe instead of being retried.
    """
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    probe = urllib.request.Request(request.full_url, method="GET")  # noqa: S310
    try:
        with urllib.request.urlopen(probe, timeout=30):  # noqa: S310 - same URL as the PUT
            return
    except urllib.error.HTTPError as exc:
        challenge, status = exc.headers.get("WWW-Authenticate", ""), exc.code
    except (urllib.error.URLError, OSError):
        return
    scheme, _, rest = challenge.partition(" ")
    if status == 401 and not (user and password):
        raise QueryError(
            f"{request.full_url}: HTTP 401: the store wants credentials "
            f"(set ${USER_ENV} and ${PASSWORD_ENV})"
        )
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, str(user), str(password))
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        auth = handler.get_authorization(request, chal)
        if auth:
            request.add_header("Authorization", f"Digest {auth}")


def _opener(url: str) -> urllib.request.OpenerDirector:
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    handlers: list[urllib.request.BaseHandler] = []
    if user and password:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password)
        handlers += [
            urllib.request.HTTPDigestAuthHandler(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)
