"""What an intake worker does with the write path's bytes: submissions and forms.

Runs inside a worker process (``service.sandbox.worker_main``), never in the server: a parser
that overflows its stack, a document that grows without bound or a parse that never ends costs
this worker, which the pool kills and replaces, and the client gets a 4xx. Submissions are read
by ``graph.contrib.intake`` (YAML, JSON, Turtle, JSON-LD, each bounded, every field checked
against its kind); forms (``application/x-www-form-urlencoded`` and ``multipart/form-data``,
https://www.rfc-editor.org/rfc/rfc7578) by Starlette's parsers, with caps on fields, files and
part sizes. What comes back to the server is plain data: the parsed document or triples, or the
fields of a form.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

TOO_LARGE = 413
MAX_FIELDS = 100
MAX_FILES = 1
MAX_FIELD_CHARS = 200_000
"""Characters of one form field (a statement pasted into a form, a token, a reason)."""


@dataclass(frozen=True)
class IntakeJob:
    """A submission's bytes and the media type they were sent as."""

    body: bytes
    media_type: str


@dataclass(frozen=True)
class FormJob:
    """A form's bytes and its Content-Type (with the multipart boundary)."""

    body: bytes
    content_type: str


@dataclass(frozen=True)
class Form:
    """A form's text fields and, for an upload, its one file (name and bytes)."""

    fields: dict[str, str]
    file: tuple[str, bytes] | None = None


class FormError(ValueError):
    """A form that cannot be read (HTTP 400, or 413 past a cap)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def read_submission(job: IntakeJob) -> tuple[bool, Any, str, int]:
    """(ok, the Intake or the problems, message, status) for a submission's bytes."""
    from graph.contrib.intake import read  # here, not at import: query workers never need it
    from graph.contrib.submission import Problem, SubmissionError

    try:
        return True, read(job.body, job.media_type), "", 200
    except SubmissionError as exc:
        return False, exc.problems, str(exc), exc.status
    except RecursionError:
        problem = Problem("the submission is nested too deeply to read")
        return False, [problem], problem.message, 422
    except MemoryError:
        problem = Problem("the submission needs more memory than one may use; send less at once")
        return False, [problem], problem.message, TOO_LARGE
    except Exception as exc:  # a parser's own error type: still the sender's bytes
        problem = Problem(f"the submission cannot be read ({type(exc).__name__}: {exc})"[:300])
        return False, [problem], problem.message, 422


def read_form(job: FormJob) -> Form:
    """The fields (and the file, if any) of a form.

    Raises:
        FormError: not a form, past a cap, or a field that is not UTF-8 text.
    """
    media = job.content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        items, upload = _urlencoded(job.body), None
    elif media == "application/json":
        items, upload = _json_object(job.body), None
    elif media == "multipart/form-data":
        items, upload = _multipart(job)
    else:
        raise FormError(
            "send the form as application/x-www-form-urlencoded, multipart/form-data or a "
            "JSON object",
            415,
        )
    fields: dict[str, str] = {}
    for key, value in items:
        if len(value) > MAX_FIELD_CHARS:
            raise FormError(f"the field {key[:40]!r} is longer than {MAX_FIELD_CHARS:,} characters")
        if "\x00" in value:
            raise FormError(f"the field {key[:40]!r} holds a NUL character")
        fields.setdefault(key, value)
    return Form(fields, upload)


def _urlencoded(body: bytes) -> list[tuple[str, str]]:
    """Fields of a URL-encoded form (WHATWG), UTF-8 strictly, at most ``MAX_FIELDS``."""
    from urllib.parse import parse_qsl

    try:
        return parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError as exc:
        raise FormError("the form is not UTF-8 text") from exc
    except ValueError as exc:  # more than max_num_fields
        raise FormError(f"the form has more than {MAX_FIELDS} fields", TOO_LARGE) from exc


def _json_object(body: bytes) -> list[tuple[str, str]]:
    """Fields of a flat JSON object of text values (``{"reason": "..."}``)."""
    import json

    def refuse(text: str) -> None:
        raise ValueError(f"{text} is not a number JSON allows")

    try:
        data = json.loads(
            body.decode("utf-8"), parse_int=Decimal, parse_float=Decimal, parse_constant=refuse
        )
    except (UnicodeDecodeError, ValueError, RecursionError, ArithmeticError) as exc:
        raise FormError(f"the body is not a JSON object: {exc}"[:200]) from exc
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise FormError(f"send a JSON object of at most {MAX_FIELDS} text fields")
    bad = next((k for k, v in data.items() if not isinstance(v, str)), None)
    if bad is not None:
        raise FormError(f"'{bad[:40]}' must be a string")
    return list(data.items())


def _multipart(job: FormJob) -> tuple[list[tuple[str, str]], tuple[str, bytes] | None]:
    """Fields and the one file of a multipart form (Starlette's parser, with its caps)."""
    from starlette.datastructures import Headers, UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser

    async def stream() -> AsyncGenerator[bytes, None]:
        yield job.body
        yield b""

    async def parse() -> tuple[list[tuple[str, str]], tuple[str, bytes] | None]:
        form = await MultiPartParser(
            Headers({"content-type": job.content_type}),
            stream(),
            max_files=MAX_FILES,
            max_fields=MAX_FIELDS,
            max_part_size=MAX_FIELD_CHARS * 4,
        ).parse()
        items: list[tuple[str, str]] = []
        upload = None
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    upload = (value.filename[:200], await value.read())
            else:
                items.append((key, value))
        await form.close()
        return items, upload

    try:
        return asyncio.run(parse())
    except MultiPartException as exc:
        raise FormError(f"the form cannot be read: {exc.message}") from exc
    except Exception as exc:  # the multipart parser's own errors (no boundary, ...)
        raise FormError(f"the form cannot be read ({type(exc).__name__})") from exc
