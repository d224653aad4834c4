"""Hostile input for the write path (issue 23): the cases, how they are sent, what they cost.

Each case is a request a partner (or anyone) could send: deep or huge documents in every format
the write path reads, values of the wrong kind in every field, broken bytes, oversized forms.
``tests/test_hostile.py`` sends each to the real server and asserts a 4xx within seconds,
``/health`` answering after it, and the whole process tree staying under 1 GiB.
``python -m tests.hostile`` prints the same run as a table with the counts and the peak memory.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from tests.cycle import open_period
from tests.liveserver import server

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "contribution.yaml").read_bytes()
ORG = "https://w3id.org/mercury-kg/id/org/"
YAML, JSON, TTL, JSONLD = (
    "application/yaml",
    "application/json",
    "text/turtle",
    "application/ld+json",
)
FORM = "application/x-www-form-urlencoded"
GIB = 1024**3


@dataclass(frozen=True)
class Case:
    """One hostile request and the statuses that are a right answer to it."""

    name: str
    body: bytes
    content_type: str = YAML
    path: str = "/api/submissions"
    auth: str | None = "partner"
    expect: tuple[int, ...] = (413, 415, 422)
    words: str = ""
    """Words the answer must contain (what was wrong, too large or too deep)."""


def _example(old: bytes, new: bytes) -> bytes:
    assert old in EXAMPLE, old
    return EXAMPLE.replace(old, new)


def _aliases(levels: int) -> bytes:
    lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        refs = b", ".join([b"*a%d" % (i - 1)] * 9)
        lines.append(b"a%d: &a%d [%s]" % (i, i, refs))
    return b"\n".join(lines) + b"\n"


def _record(**fields: object) -> bytes:
    """A JSON submission of one record whose source quotes the text."""
    record = {"source": "We did it.", **fields}
    return json.dumps({"text": "We did it.", "records": [record]}).encode()


def cases() -> list[Case]:
    """Every hostile case (about a hundred)."""
    deep = 5_000
    out = [
        # ---- depth and expansion, every format
        Case("JSON-LD nested 5,000 deep", b'{"a":' * deep + b"1" + b"}" * deep, JSONLD),
        Case("JSON-LD arrays 100,000 deep", b"[" * 100_000 + b"]" * 100_000, JSONLD),
        Case("JSON-LD nested 200 deep", b'{"a":' * 200 + b"1" + b"}" * 200, JSONLD, words="deep"),
        Case("JSON nested 5,000 deep", b'{"a":' * deep + b"1" + b"}" * deep, JSON),
        Case("JSON nested 100 deep", b"[" * 100 + b"]" * 100, JSON, words="deep"),
        Case("YAML aliases 9 levels (9^9)", _aliases(9), YAML, words="anchor"),
        Case("YAML aliases 6 levels", _aliases(6), YAML, words="anchor"),
        Case("YAML one alias", b"a: &x [1]\nb: *x\n", YAML, words="anchor"),
        Case("YAML nested 10,000 deep", b"[" * 10_000 + b"]" * 10_000, YAML),
        Case("YAML mappings 2,000 deep", b"{a: " * 2_000 + b"1" + b"}" * 2_000, YAML),
        Case(
            "Turtle blank nodes 100,000 deep",
            b"@prefix e: <http://e/> . e:s e:p "
            + b"[ e:p " * 100_000
            + b"1"
            + b" ]" * 100_000
            + b" .",
            TTL,
        ),
        Case(
            "Turtle collection 50,000 deep",
            b"@prefix e: <http://e/> . e:s e:p " + b"( " * 50_000 + b"1" + b" )" * 50_000 + b" .",
            TTL,
        ),
        Case(
            "Turtle 6,000 triples",
            b"".join(b"<http://e/s%d> <http://e/p> 1 .\n" % i for i in range(6_000)),
            TTL,
            words="triples",
        ),
        Case(
            "JSON-LD remote context", b'{"@context": "http://127.0.0.1:9/ctx", "@id": "x"}', JSONLD
        ),
        Case(
            "RDF/XML billion laughs (validate)",
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(
                b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10 if i else b"&a;" * 10)
                for i in range(9)
            )
            + b']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="http://e/s"><rdf:value>&a8;</rdf:value>'
            b"</rdf:Description></rdf:RDF>",
            "application/rdf+xml",
            "/api/validate",
            None,
            (400,),
        ),
        # ---- size
        Case("body of 2 MB", b"text: '" + b"x" * 2_000_000 + b"'\n", YAML, expect=(413,)),
        Case("one line of 900 KB", b"text: '" + b"x" * 900_000 + b"'\nrecords: []\n", YAML),
        Case(
            "201 records",
            json.dumps({"text": "a", "records": [{}] * 201}).encode(),
            JSON,
            expect=(413,),
        ),
        Case(
            "60,000 values",
            json.dumps({"text": "a", "records": [[0] * 60_000]}).encode(),
            JSON,
            expect=(413,),
        ),
        # ---- numbers
        Case(
            "JSON amount of 5,000 digits",
            _record(
                id="flow/x",
                type="FundingFlow",
                label="x",
                transaction="gmp:tt-granted",
                item="area/asgm",
            ).replace(b'"label"', b'"staff": ' + b"9" * 5_000 + b', "label"'),
            JSON,
            words="digits",
        ),
        Case(
            "JSON float of 400 digits",
            b'{"text": "a", "records": [{"x": 1.' + b"5" * 400 + b"}]}",
            JSON,
            words="number",
        ),
        Case("JSON NaN", b'{"text": "a", "records": [{"x": NaN}]}', JSON, words="NaN"),
        Case("amount 1e400", _example(b"value: 300000", b"value: 1e400"), words="not a number"),
        Case(
            "amount 1.0e+400 (inf)", _example(b"value: 300000", b"value: 1.0e+400"), words="finite"
        ),
        Case("amount .nan", _example(b"value: 300000", b"value: .nan"), words="finite"),
        Case("amount 10^100", _example(b"value: 300000", b"value: 1" + b"0" * 100), words="10^15"),
        Case(
            "amount 10^100 as text",
            _example(b"value: 300000", b"value: '10^100'"),
            words="not a number",
        ),
        Case("amount negative", _example(b"value: 300000", b"value: -5"), words="negative"),
        Case(
            "amount 20 digits",
            _example(b"value: 300000", b"value: 0.12345678901234567890"),
            words="significant",
        ),
        Case("amount as words", _example(b"value: 300000", b"value: lots"), words="number"),
        Case("amount true", _example(b"value: 300000", b"value: true"), words="number"),
        Case(
            "staff count negative",
            _example(b"  when: 2013-03", b"  when: 2013-03\n  staff: -3"),
            words="whole number",
        ),
        # ---- currencies
        Case("currency XXQ", _example(b"currency: USD", b"currency: XXQ"), words="ISO 4217"),
        Case("currency lower case", _example(b"currency: USD", b"currency: usd"), words="ISO 4217"),
        Case(
            "currency dollars", _example(b"currency: USD", b"currency: dollars"), words="ISO 4217"
        ),
        Case("currency missing", _example(b", currency: USD", b""), words="ISO 4217"),
        Case("currency a number", _example(b"currency: USD", b"currency: 840"), words="ISO 4217"),
        # ---- ids
        Case(
            "id kind disagrees with type",
            _example(b"id: flow/norway-asgm-2013", b"id: org/bad-x"),
            words="kind",
        ),
        Case(
            "id walks a path",
            _example(b"id: flow/norway-asgm-2013", b"id: flow/../../x"),
            words="kind/short-name",
        ),
        Case(
            "id with a third segment",
            _example(b"id: flow/norway-asgm-2013", b"id: flow/a/b"),
            words="kind/short-name",
        ),
        Case(
            "id with percent",
            _example(b"id: flow/norway-asgm-2013", b"id: flow/a%2F..%2Fb"),
            words="kind/short-name",
        ),
        Case(
            "id with query",
            _example(b"id: flow/norway-asgm-2013", b"id: 'flow/a?b=1'"),
            words="kind/short-name",
        ),
        Case(
            "id upper case",
            _example(b"id: flow/norway-asgm-2013", b"id: flow/Norway"),
            words="kind/short-name",
        ),
        Case("id a number", _record(id=5, type="FundingFlow"), JSON, words="must be text"),
        Case(
            "id a list",
            _example(b"id: flow/norway-asgm-2013", b"id: [flow/a]"),
            words="must be text",
        ),
        Case(
            "id 500 characters",
            _example(b"id: flow/norway-asgm-2013", b"id: flow/" + b"a" * 500),
            words="longer",
        ),
        Case("type unknown", _example(b"type: FundingFlow", b"type: Rocket"), words="type"),
        Case(
            "reference with a space",
            _example(b"item: area/asgm", b"item: 'area/asgm x'"),
            words="id",
        ),
        Case(
            "reference unknown prefix",
            _example(b"item: area/asgm", b"item: evil:x"),
            words="prefix",
        ),
        Case(
            "reference walks a path", _example(b"item: area/asgm", b"item: 'wd:../x'"), words="id"
        ),
        Case(
            "extends walks a path",
            b"text: We did it.\nrecords:\n- {extends: 'area/../x', "
            b"related: area/asgm, source: We did it.}\n",
            YAML,
            words="extends",
        ),
        # ---- urls
        *(
            Case(
                f"url with {label}",
                _example(
                    b"  when: 2013-03", b'  when: 2013-03\n  url: "https://e.org/' + ch + b'x"'
                ),
                words="RFC 3987",
            )
            for label, ch in (
                ("a quote", b'\\"'),
                ("a space", b" "),
                ("<", b"<"),
                ("a backslash", b"\\\\"),
                ("{", b"{"),
                ("}", b"}"),
                ("|", b"|"),
                ("a newline", b"\\n"),
                ("^", b"^"),
                ("a backtick", b"`"),
                ("a bad escape", b"%zz"),
            )
        ),
        Case(
            "url javascript:",
            _example(b"  when: 2013-03", b"  when: 2013-03\n  url: 'javascript:alert(1)'"),
            words="http",
        ),
        Case(
            "url of 3,000 characters",
            _example(b"  when: 2013-03", b"  when: 2013-03\n  url: https://e.org/" + b"a" * 3_000),
            words="http",
        ),
        # ---- texts
        Case(
            "label of 200,000 characters",
            _example(b"label: Norway grant", b"label: " + b"x" * 200_000),
            words="longer",
        ),
        Case(
            "description of 6,000 characters",
            _example(b"  when: 2013-03", b"  when: 2013-03\n  description: " + b"d" * 6_000),
            words="longer",
        ),
        Case(
            "title of 1,000 characters",
            _example(b"title: Norway's", b"title: " + b"t" * 1_000 + b" Norway's"),
            words="longer",
        ),
        Case(
            "text of 150,000 characters",
            _example(b"text: |", b"text: |\n  " + b"w" * 150_000),
            words="longer",
        ),
        Case(
            "label with a control character",
            _example(b"label: Norway grant", b'label: "No\\x01rway grant').replace(
                b"March 2013\n", b'March 2013"\n'
            ),
            words="control",
        ),
        Case(
            "label a mapping",
            _example(
                b"label: Norway grant to the ASGM partnership area, March 2013", b"label: {a: 1}"
            ),
            words="text",
        ),
        Case(
            "JSON label with a lone surrogate",
            _record(
                id="flow/x",
                type="FundingFlow",
                label="\ud800",
                transaction="gmp:tt-granted",
                item="area/asgm",
            ),
            JSON,
            words="surrogate",
        ),
        Case(
            "a field named __line__",
            b'{"text": "a", "records": [{"__line__": "x"}]}',
            JSON,
            words="field name",
        ),
        Case(
            "source of 100 quotes and more",
            _example(
                b"  source: 'In March 2013", b"  source: [" + b"a, " * 150 + b"'In March 2013"
            ).replace(b"small-scale'\n", b"small-scale']\n"),
            words="quotes",
        ),
        # ---- dates
        Case(
            "established 2030",
            b"text: We did it.\nrecords:\n- {id: area/new, type: "
            b"PartnershipArea, label: New, within: gmp, objective: o, established: 2030, "
            b"source: We did it.}\n",
            YAML,
            words="not happened",
        ),
        Case(
            "issued after the period",
            b"period: {from: 2012-07, to: 2014-06}\ntext: We did it."
            b"\nrecords:\n- {id: doc/new, type: Document, label: New, issued: 2015-01, "
            b"source: We did it.}\n",
            YAML,
            words="after the end",
        ),
        Case("date 2011-13", _example(b"when: 2013-03", b"when: 2011-13"), words="date"),
        Case("date 2011-02-30", _example(b"when: 2013-03", b"when: 2011-02-30"), words="date"),
        Case("date year 0999", _example(b"when: 2013-03", b"when: '0999'"), words="plausible"),
        Case("date as words", _example(b"when: 2013-03", b"when: last spring"), words="date"),
        Case(
            "interval reversed",
            _example(b"when: 2013-03", b"when: {from: 2014-01, to: 2013-01}"),
            words="after",
        ),
        Case(
            "period reversed",
            _example(
                b"period: {from: 2012-07, to: 2013-06}", b"period: {from: 2014-07, to: 2013-06}"
            ),
            words="period",
        ),
        Case(
            "period in the future",
            _example(
                b"period: {from: 2012-07, to: 2013-06}", b"period: {from: 2090-07, to: 2091-06}"
            ),
            words="plausible",
        ),
        Case(
            "period a string",
            _example(b"period: {from: 2012-07, to: 2013-06}", b"period: 2012-2014"),
            words="period",
        ),
        # ---- bytes
        Case("NUL byte", EXAMPLE.replace(b"In March", b"In\x00March", 1), words="NUL"),
        Case("invalid UTF-8", EXAMPLE.replace(b"In March", b"In \xff\xfe March", 1), words="UTF-8"),
        Case("UTF-16", EXAMPLE.decode().encode("utf-16"), words="UTF-8"),
        Case("YAML !!binary", b"text: !!binary aGVsbG8=\nrecords: [1]\n", YAML, words="type"),
        Case("YAML !!set", b"text: a\nrecords: [!!set {a, b}]\n", YAML, words="type"),
        Case("YAML python object", b"text: !!python/object/apply:os.system [echo]\n", YAML),
        Case("YAML two documents", b"text: a\n---\ntext: b\n", YAML),
        Case("YAML not a mapping", b"- 1\n- 2\n", YAML, words="mapping"),
        Case("JSON trailing garbage", b'{"text": "a"} xx', JSON, words="JSON"),
        Case("Turtle named graphs (TriG)", b"<http://e/g> { <http://e/s> <http://e/p> 1 }", TTL),
        Case("unsupported media type", EXAMPLE, "text/plain", expect=(415,)),
        Case("no media type", EXAMPLE, "", expect=(415,)),
        # ---- forms and decisions
        Case(
            "sign-in form of 10,000 fields",
            b"&".join(b"f%d=x" % i for i in range(10_000)),
            FORM,
            "/signin",
            None,
            (413,),
        ),
        Case("sign-in form, invalid UTF-8 escape", b"token=%ff%fe", FORM, "/signin", None, (400,)),
        Case("sign-in form, NUL", b"token=a%00b", FORM, "/signin", None, (400,)),
        Case(
            "sign-in with JSON",
            b'{"token": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
            JSON,
            "/signin",
            None,
            (400,),
        ),
        Case(
            "sign-in multipart, 3 files",
            (
                b"--b\r\n"
                + b"".join(
                    b'Content-Disposition: form-data; name="f%d"; filename="a.yaml"\r\n\r\nx\r\n--b'
                    b"\r\n" % i
                    for i in range(3)
                )
                + b"--\r\n"
            ),
            "multipart/form-data; boundary=b",
            "/signin",
            None,
            (400,),
        ),
        Case(
            "sign-in multipart, no boundary",
            b"--b\r\n\r\n",
            "multipart/form-data",
            "/signin",
            None,
            (400,),
        ),
        Case(
            "reject reason, 5,000-digit number",
            b'{"reason": ' + b"9" * 5_000 + b"}",
            JSON,
            "/api/submissions/nosuch/reject",
            "secretariat",
            (400,),
        ),
        Case(
            "reject reason, nested 5,000 deep",
            b'{"reason": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
            JSON,
            "/api/submissions/nosuch/reject",
            "secretariat",
            (400,),
        ),
        Case(
            "reject reason, not JSON",
            b"\xff\xfe",
            JSON,
            "/api/submissions/nosuch/reject",
            "secretariat",
            (400,),
        ),
    ]
    return out


@dataclass
class Outcome:
    """What one case got."""

    case: Case
    status: int | str
    seconds: float
    body: str
    health: int | str


def send(base: str, case: Case, tokens: dict[str, str], timeout: float = 60.0) -> Outcome:
    """Send a case, then ask ``/health``.

    The answer is read even when the server stops reading the body first (a 413).
    """
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    start = time.monotonic()
    status: int | str
    try:
        conn.putrequest("POST", case.path)
        if case.content_type:
            conn.putheader("Content-Type", case.content_type)
        if case.auth:
            conn.putheader("Authorization", f"Bearer {tokens[case.auth]}")
        conn.putheader("Content-Length", str(len(case.body)))
        conn.endheaders()
        try:
            for at in range(0, len(case.body), 65_536):
                conn.send(case.body[at : at + 65_536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading it all (a 413): read that answer
        response = conn.getresponse()
        status, body = response.status, response.read().decode("utf-8", "replace")
    except OSError as exc:
        status, body = "no answer", repr(exc)
    finally:
        conn.close()
    seconds = time.monotonic() - start
    health: int | str
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=10) as r:  # noqa: S310
            health = r.status
    except OSError as exc:
        health = repr(exc)
    return Outcome(case, status, seconds, body, health)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class Sampler:
    """Samples a process tree's resident memory every 50 ms in a thread; keeps the peak."""

    pid: int
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Sampler:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(0.05)


@contextmanager
def hostile_server(
    data: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int, dict[str, str]]]:
    """The real server over a data directory with a partner and a secretariat account."""
    conn = DataDir(data).connect()
    tokens = {
        "partner": accounts.add(conn, ORG + "gov-norway", "partner")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat")[1],
    }
    conn.close()
    open_period(data)
    settings = {
        "MERCURY_KG_DATA_DIR": str(data),
        "MERCURY_KG_UPLOAD_BURST": "100000",
        "MERCURY_KG_BURST": "100000",
        **(env or {}),
    }
    with server(settings) as (base, proc):
        yield base, proc.pid, tokens


def main() -> None:
    """Run every case against a fresh server; print each answer, the counts and the peak."""
    import tempfile

    with (
        tempfile.TemporaryDirectory() as tmp,
        hostile_server(Path(tmp) / "data") as (
            base,
            pid,
            tokens,
        ),
    ):
        time.sleep(3)  # the gate process and the cache warm-up settle
        idle = tree_rss(pid)
        outcomes = []
        with Sampler(pid) as sampler:
            for case in cases():
                outcomes.append(send(base, case, tokens))
        counts = {"4xx": 0, "5xx": 0, "no answer": 0, "2xx": 0}
        for o in outcomes:
            kind = o.status if isinstance(o.status, str) else f"{o.status // 100}xx"
            counts[kind] = counts.get(kind, 0) + 1
            line = f"{o.status!s:>9}  {o.seconds * 1000:8.0f} ms  health {o.health}  {o.case.name}"
            print(line)  # noqa: T201
        worst = max(o.seconds for o in outcomes)
        print(  # noqa: T201
            f"\n{len(outcomes)} hostile cases: "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
            + f"; slowest answer {worst:.2f} s; process tree {idle / 2**20:.0f} MiB idle, "
            f"peak {sampler.peak / 2**20:.0f} MiB (limit {GIB / 2**20:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
