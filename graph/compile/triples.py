"""A small ordered, de-duplicating triple buffer that the compiler writes into per data file."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.term import Node


class Triples:
    """Triples in insertion order without duplicates (a named graph under construction)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Node, Node, Node], None] = {}

    def add(self, s: Node, p: Node, o: Node) -> None:
        """Add one triple (duplicates are ignored)."""
        self._seen[(s, p, o)] = None

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)
