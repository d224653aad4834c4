"""HTML pages rendered with Jinja2, autoescaped.

Security.md case 17: user text never becomes markup; IRIs become links only through
service.pages.links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def answer_url(query: Any, fmt: str) -> str:
    """The REST address of a named query's answer with its example parameters."""
    params = [(p.name, p.example) for p in query.params if not p.optional]
    return f"/api/queries/{query.name}?" + urlencode([*params, ("format", fmt)])


_ENV.filters["answer_url"] = answer_url


def render(template: str, **context: Any) -> str:
    """Render a template from ``service/templates``."""
    return _ENV.get_template(template).render(**context)
