"""What anyone may read of the write path's history: published submissions and retractions.

Nothing is deleted, only retracted (Wikibase keeps every revision, and a deletion leaves a log
entry; Quit Store keeps every commit queryable). For an accepted or retracted submission anyone
may read who sent it for which organisation, when, who accepted it, and who retracted it, when
and why; a pending or rejected one stays between its sender and the secretariat. A resource a
retraction took out of the graph is a tombstone: when, why, and the submission it came from
(HTTP 410 Gone, RFC 9110 §15.5.11).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from graph.contrib import workflow
from graph.contrib.accounts import listing

PUBLIC = ("accepted", "retracted")
"""States whose history is public."""


def _people(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Accounts by id: the name given, and the organisation they act for (short id)."""
    return {
        a.id: {
            "name": a.name or f"account {a.id}",
            "organisation": a.org.rsplit("/id/", 1)[-1],
        }
        for a in listing(conn)
    }


def public_history(conn: sqlite3.Connection, sid: str) -> dict[str, Any]:
    """The public record of an accepted or retracted submission.

    Raises:
        WorkflowError: (404) no such submission, or one whose history is not public.
    """
    sub = workflow.get(conn, sid)
    if sub.state not in PUBLIC:
        raise workflow.WorkflowError(f"no published submission {sid!r}", 404)
    people = _people(conn)
    events = []
    for event in workflow.history(conn, sid):
        who = people.get(event["account"], {"name": event["account"], "organisation": ""})
        events.append({**event, "by": who["name"], "organisation": who["organisation"]})
    retracted = next((e for e in reversed(events) if e["action"] == "retracted"), None)
    return {
        "id": sub.id,
        "state": sub.state,
        "organisation": sub.org.rsplit("/id/", 1)[-1],
        "received": sub.received,
        "records": sub.records,
        "accepted": sub.reviewed,
        "accepted_by": people.get(sub.reviewer or "", {}).get("name"),
        "retracted": {
            "at": retracted["at"],
            "by": retracted["by"],
            "reason": sub.reason,
        }
        if retracted
        else None,
        "events": events,
    }


def tombstone(conn: sqlite3.Connection, rid: str) -> dict[str, Any] | None:
    """What took ``rid`` out of the graph: the retraction (when, by whom, why), or None."""
    found = workflow.retraction_of(conn, rid)
    if found is None:
        return None
    sub, at = found
    record = public_history(conn, sub.id)
    return {
        "resource": rid,
        "retracted": at,
        "reason": sub.reason,
        "by": (record["retracted"] or {}).get("by"),
        "submission": sub.id,
        "organisation": record["organisation"],
        "history": f"/api/submissions/{sub.id}/history",
    }
