"""Find a thing by name, description or the report's own words: SQLite FTS5 over labels and text.

Rows: one per resource (its preferred, rdfs and alternative labels, acronyms included; its kind),
one per passage a resource is derived from (the passage's verbatim words) and one per description
(``dct:description``), read by the support queries ``search_names.rq``, ``search_passages.rq``
and ``search_descriptions.rq``. Two FTS5 indexes
(https://www.sqlite.org/fts5.html, in the standard library's sqlite3): ``unicode61`` without
diacritics for word prefixes ("kyrg" finds Kyrgyzstan), ``trigram`` for typos ("Kyrgz", kept when
half its trigrams, and two at least, match). Ranked by bm25 with names weighted over passages; one
hit per resource; a passage hit quotes the words that matched (FTS5 ``snippet``).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass

from rdflib import URIRef

from graph.query.catalog import support
from graph.query.engine import EmbeddedEngine

MAX_WORDS = 8
NAME_WEIGHT, PASSAGE_WEIGHT, DESCRIPTION_WEIGHT = 10.0, 1.0, 0.5
TYPO_SHARE = 0.5
"""A typo hit needs at least this share of the query's trigrams, and two of them."""


@dataclass(frozen=True)
class Hit:
    """A resource found: what it is called, its kind, and the passage words that matched."""

    iri: str
    label: str
    kind: str
    matched: str
    """"name", "passage" or "description"."""
    passage: str | None = None
    quote: str | None = None
    """The passage cut to a dozen words around the match, matching words in [brackets]."""


class SearchIndex:
    """An in-memory FTS5 index of a graph's names and passages."""

    def __init__(self, engine: EmbeddedEngine) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.executescript(
            "CREATE TABLE docs (id INTEGER PRIMARY KEY, iri TEXT, passage TEXT, what TEXT);"
            "CREATE VIRTUAL TABLE words USING fts5(names, quote, about,"
            " tokenize='unicode61 remove_diacritics 2');"
            "CREATE VIRTUAL TABLE grams USING fts5(names, quote, about, tokenize='trigram');"
        )
        names: dict[str, list[str]] = {}
        ranks: dict[str, tuple[int, str]] = {}
        for resource, name, kind, rank in engine.select(support("search_names").text).rows:
            iri = str(resource)
            names.setdefault(iri, [])
            if str(name) not in names[iri]:
                names[iri].append(str(name))
            here = (int(str(rank)), str(kind)) if rank is not None else (99, "other")
            ranks[iri] = min(ranks.get(iri, here), here)
        rows: list[tuple[str, str | None, str, str, str]] = [
            (iri, None, " · ".join(n), "", "name") for iri, n in names.items()
        ]
        for resource, passage, quote in engine.select(support("search_passages").text).rows:
            rows.append((str(resource), str(passage), "", str(quote), "passage"))
        for resource, about in engine.select(support("search_descriptions").text).rows:
            rows.append((str(resource), None, "", str(about), "description"))
        # the columns: names, the report's words, descriptions (weighted in that order)
        for i, (iri, source, text, words, what) in enumerate(rows):
            self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?)", (i, iri, source, what))
            said, described = (words, "") if what != "description" else ("", words)
            for table in ("words", "grams"):
                self._db.execute(
                    f"INSERT INTO {table} (rowid, names, quote, about) VALUES (?, ?, ?, ?)",  # noqa: S608
                    (i, text, said, described),
                )
        labels = engine.labels([URIRef(i) for i in {r[0] for r in rows}])
        self._labels = {str(k): v for k, v in labels.items()}
        self._kinds = {iri: kind for iri, (_, kind) in ranks.items()}
        self._ranks = {iri: rank for iri, (rank, _) in ranks.items()}

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Resources matching every word of ``query`` as a prefix, then near misses; best first."""
        words = [w for w in re.findall(r"\w+", query.lower()) if w][:MAX_WORDS]
        if not words:
            return []
        exact = " ".join(f'"{w}"*' for w in words)
        grams = sorted({w[i : i + 3] for w in words if len(w) >= 3 for i in range(len(w) - 2)})
        with self._lock:
            found = self._rows("words", exact, limit * 4)
            if len(found) < limit and grams:
                near = self._rows("grams", " OR ".join(f'"{g}"' for g in grams), limit * 20)
                found += [r for r in near if _close(grams, r[3])]
        hits: dict[str, Hit] = {}
        for iri, passage, quote, _text, what in found:
            if iri not in hits and len(hits) < limit:
                hits[iri] = Hit(
                    iri,
                    self._labels.get(iri, iri.rsplit("/", 1)[-1]),
                    self._kinds.get(iri, "other"),
                    what,
                    passage,
                    quote if what != "name" else None,
                )
        return list(hits.values())

    def _rows(
        self, table: str, match: str, limit: int
    ) -> list[tuple[str, str | None, str, str, str]]:
        # trigram snippets repeat overlapping grams: near misses quote the passage's start
        quote = (
            "snippet(words, -1, '[', ']', '…', 12)"
            if table == "words"
            else "substr(quote || about, 1, 160)"
        )
        sql = (
            f"SELECT docs.iri, docs.passage, {quote}, docs.what,"  # noqa: S608
            f" {table}.names || ' ' || {table}.quote || ' ' || {table}.about,"
            f" bm25({table}, ?, ?, ?) AS score FROM {table}"
            f" JOIN docs ON docs.id = {table}.rowid"
            f" WHERE {table} MATCH ? ORDER BY score LIMIT ?"
        )
        weights = (NAME_WEIGHT, PASSAGE_WEIGHT, DESCRIPTION_WEIGHT)
        rows = self._db.execute(sql, (*weights, match, limit)).fetchall()
        # equal scores (the same name on a project and its highlight): the higher kind first
        rows.sort(key=lambda r: (round(r[5], 6), self._ranks.get(r[0], 99)))
        return [(iri, passage, quote, text, what) for iri, passage, quote, what, text, _ in rows]


def _close(grams: list[str], text: str) -> bool:
    lowered = text.lower()
    matched = sum(1 for g in grams if g in lowered)
    return matched >= 2 and matched >= TYPO_SHARE * len(grams)
