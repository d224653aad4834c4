"""The write path's bytes read where a crash costs a worker: submissions and forms.

Every body a route of the write path receives (a submission, a sign-in, a contribution form, an
upload, a review decision) is handed to the intake pool (``service.sandbox.intake``) before
anything in the server looks into it; what comes back is plain data, or a 4xx naming what was
wrong, too large or too deep.
"""

from __future__ import annotations

from fastapi import Request

from graph.contrib.intake import Intake
from graph.contrib.submission import Problem, SubmissionError
from service.sandbox.guard import QueryRefused
from service.sandbox.intake import Form, FormJob, IntakeJob
from service.sandbox.workers import QueryTimeout
from service.server.deps import client_of
from service.server.state import ServiceState


async def submission(request: Request, state: ServiceState, body: bytes, media_type: str) -> Intake:
    """A submission's bytes read and bounded in an intake worker.

    Raises:
        SubmissionError: the problems (record, field, line), with their status (413, 415, 422).
        Busy: no intake worker came free in time (429).
    """
    client = client_of(request, state.settings)
    try:
        answer = await state.pools.intake.run(
            IntakeJob(body, media_type), state.settings.intake_timeout, client
        )
    except QueryTimeout as exc:
        raise SubmissionError([Problem(str(exc))], 413) from exc
    if not answer.ok:
        problems = answer.data if isinstance(answer.data, list) else [Problem(answer.error)]
        raise SubmissionError(problems, answer.status)
    if not isinstance(answer.data, Intake):  # pragma: no cover - a worker's contract
        raise SubmissionError([Problem("the submission could not be read")])
    return answer.data


async def form(request: Request, state: ServiceState) -> Form:
    """The request's form (URL-encoded, multipart or a flat JSON object) read in a worker.

    Raises:
        QueryRefused: not a form, past a cap (400, 413, 415).
        Busy: no intake worker came free in time (429).
    """
    body = await request.body()  # capped and timed by service.limits.bodies
    content_type = request.headers.get("content-type", "")
    client = client_of(request, state.settings)
    try:
        answer = await state.pools.intake.run(
            FormJob(body, content_type), state.settings.intake_timeout, client
        )
    except QueryTimeout as exc:
        raise QueryRefused(str(exc), 413) from exc
    if not answer.ok or not isinstance(answer.data, Form):
        raise QueryRefused(answer.error or "the form could not be read", answer.status)
    return answer.data
