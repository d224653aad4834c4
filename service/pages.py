"""HTML pages rendered with Jinja2, autoescaped.

Security.md case 17: user text never becomes markup; IRIs become links only through
service.links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    """Render a template from ``service/templates``."""
    return _ENV.get_template(template).render(**context)
