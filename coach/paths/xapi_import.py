"""xAPI statements (an LRS export) as learning records.

A statement counts when its verb says what the path builder uses: completed / passed /
failed / scored (a completion, with ``result.score``), attended (an attendance). The
learner is the actor's ``account.name`` (their LMS id) or ``mbox`` (matched by email);
the item is the catalog item whose id ends the activity id (``.../items/ITEM`` or
``...:ITEM``). Other verbs (launched, experienced, answered...) are skipped and counted.
The statement id is kept, so importing the same export twice adds nothing.

Every statement is first checked against the xAPI 1.0.3 data model
(:func:`coach.xapi_spec.problems`: actor, verb and object, identifiers, IRIs, scores,
timestamps...), skipped verbs included: one invalid statement refuses the whole file, each
reason reported with the statement's place in the file (its position in a JSON array, its
line in JSON lines), and nothing is imported.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.paths.imports import Imported, ImportRefused, Row, add_history_rows, read_rows
from coach.paths.world import World
from coach.xapi_spec import problems as spec_problems
from recommender.catalog import Problem

VERBS = {
    "completed": "completion",
    "passed": "completion",
    "failed": "completion",
    "scored": "completion",
    "attended": "attendance",
}


def verb_name(statement: dict[str, Any]) -> str:
    """The last segment of the verb id (``http://adlnet.gov/expapi/verbs/passed`` → passed)."""
    vid = str((statement.get("verb") or {}).get("id", ""))
    return vid.rstrip("/").rsplit("/", 1)[-1].lower()


def _actor(statement: dict[str, Any], emails: dict[str, str]) -> str | None:
    actor = statement.get("actor") or {}
    account = actor.get("account") or {}
    if account.get("name"):
        return str(account["name"])
    mbox = str(actor.get("mbox", ""))
    if mbox.startswith("mailto:"):
        return emails.get(mbox[7:].lower())
    return None


def _item(statement: dict[str, Any], items: set[str]) -> str | None:
    oid = str((statement.get("object") or {}).get("id", "")).rstrip("/")
    for sep in ("/", ":", "#"):
        tail = oid.rsplit(sep, 1)[-1]
        if tail in items:
            return tail
    return None


def _score(statement: dict[str, Any], verb: str) -> float | None:
    score = ((statement.get("result") or {}).get("score")) or {}
    if score.get("scaled") is not None:
        return max(0.0, min(1.0, float(score["scaled"])))
    if score.get("raw") is not None and score.get("max"):
        low = float(score.get("min") or 0)
        return (float(score["raw"]) - low) / (float(score["max"]) - low)
    return 0.0 if verb == "failed" else None


def import_xapi(session: Session, *, world: World, org_id: str, path: Path) -> Imported:
    """Import an LRS export: a JSON array of statements, ``{"statements": [...]}``, or JSON
    lines."""
    statements = read_rows(path, "statements")
    catalog = world.catalog(session, org_id)
    emails = {
        u.email.lower(): u.external_id
        for u in storage.list_users(session, org_id=org_id)
        if u.email
    }
    rows: list[Row] = []
    refs: dict[int, str] = {}
    problems: list[Problem] = []
    skipped: Counter[str] = Counter()
    for st in statements:
        n = st["_row"]
        body = {k: v for k, v in st.items() if k != "_row"}
        for reason in spec_problems(body, require_id=False):  # an LRS may leave out ids
            problems.append(Problem(f"not an xAPI 1.0.3 statement: {reason}", str(path), n))
        verb = verb_name(st)
        if verb not in VERBS:
            skipped[verb or "no verb"] += 1
            continue
        learner = _actor(st, emails)
        item = _item(st, set(catalog.items))
        stamp = str(st.get("timestamp") or st.get("stored") or "")
        if learner is None:
            problems.append(Problem("actor has no account name or known mbox", str(path), n))
        if item is None:
            oid = (st.get("object") or {}).get("id")
            problems.append(Problem(f"activity {oid!r} is no catalog item", str(path), n))
        if not stamp:
            problems.append(Problem("statement has no timestamp", str(path), n))
        if learner is None or item is None or not stamp:
            continue
        kind = VERBS[verb]
        rows.append(
            {
                "learner_id": learner,
                "kind": kind,
                "date": stamp[:10],
                "item_id": item,
                "score": _score(st, verb) if kind == "completion" else None,
                "attended": True if kind == "attendance" else None,
                "_row": n,
            }
        )
        if st.get("id"):
            refs[n] = f"xapi:{st['id']}"
    if problems:
        raise ImportRefused(problems)
    out = add_history_rows(session, world, org_id, rows, str(path), "xapi", refs)
    out.counts["skipped"] = sum(skipped.values())
    if skipped:
        out.warnings.append(
            "skipped verbs: " + ", ".join(f"{v} ({n})" for v, n in skipped.most_common())
        )
    return out
