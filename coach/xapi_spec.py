"""Checks of a statement against the xAPI 1.0.3 data model (xAPI-Data.md, part 2).

:func:`problems` lists every violation as ``"where: why"`` (``result.score.scaled: 1.5 is
outside [-1, 1]``), empty for a valid statement. It checks what an LRS refuses a statement
for: the required actor / verb / object, one inverse functional identifier per agent,
IRIs where the spec wants IRIs, UUIDs, language maps, scores, ISO 8601 timestamps and
durations, and properties the spec does not define. It does not resolve IRIs nor check a
profile's vocabulary. (No maintained validator is small enough to take on: the PyPI ones
are an LRS's whole model layer, ralph's among them.)
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

TOP = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored"}
TOP |= {"authority", "version", "attachments"}
SUB = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
INTERACTION_TYPES = {
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
}  # fmt: skip
CONTEXT_ACTIVITIES = {"parent", "grouping", "category", "other"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_N = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?=[\dT])(?:{_N}Y)?(?:{_N}M)?(?:{_N}W)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?$"
)


class StatementInvalid(ValueError):
    """A statement the spec refuses; ``reasons`` are its :func:`problems`."""

    def __init__(self, reasons: list[str], index: int | None = None) -> None:
        where = "" if index is None else f"statement {index}: "
        super().__init__(where + "; ".join(reasons))
        self.reasons = reasons
        self.index = index


def problems(statement: Any, *, require_id: bool = True) -> list[str]:
    """Every way ``statement`` breaks xAPI 1.0.3 (empty: valid).

    Args:
        statement: the decoded JSON.
        require_id: an id is required (ours always carry one; an LRS may assign one to a
            statement sent without).
    """
    out: list[str] = []
    if not isinstance(statement, dict):
        return ["statement: must be a JSON object"]
    _unknown(statement, TOP, "", out)
    if "id" in statement:
        _uuid(statement["id"], "id", out)
    elif require_id:
        out.append("id: missing (a UUID)")
    _body(statement, "", out)
    if "stored" in statement:
        _timestamp(statement["stored"], "stored", out)
    if "authority" in statement:
        _actor(statement["authority"], "authority", out)
    version = statement.get("version")
    if version is not None and not (isinstance(version, str) and version.startswith("1.0")):
        out.append(f"version: {version!r} is not a 1.0.x version")
    return out


def check(statement: Any, *, require_id: bool = True, index: int | None = None) -> None:
    """Raise :class:`StatementInvalid` with every reason when ``statement`` is invalid."""
    if found := problems(statement, require_id=require_id):
        raise StatementInvalid(found, index)


def _body(st: dict[str, Any], at: str, out: list[str]) -> None:
    """What a statement and a sub-statement share: actor, verb, object, result, context."""
    for key in ("actor", "verb", "object"):
        if key not in st:
            out.append(f"{at}{key}: missing (required)")
    if "actor" in st:
        _actor(st["actor"], f"{at}actor", out)
    if "verb" in st:
        _verb(st["verb"], f"{at}verb", out)
    if "object" in st:
        _object(st["object"], f"{at}object", out, nested=bool(at))
    if "result" in st:
        _result(st["result"], f"{at}result", out)
    if "context" in st:
        obj = st.get("object")
        is_activity = isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity"
        _context(st["context"], f"{at}context", out, is_activity)
    if "timestamp" in st:
        _timestamp(st["timestamp"], f"{at}timestamp", out)
    if "attachments" in st and not isinstance(st["attachments"], list):
        out.append(f"{at}attachments: must be an array")


def _unknown(obj: dict[str, Any], allowed: set[str], at: str, out: list[str]) -> None:
    for key in sorted(set(obj) - allowed):
        out.append(f"{at}{key}: not a property of the spec")


def _iri(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, str) or not _IRI.match(value):
        out.append(f"{at}: {value!r} is not an IRI")


def _uuid(value: Any, at: str, out: list[str]) -> None:
    try:
        uuid.UUID(value if isinstance(value, str) else "")
        if len(value) != 36:
            raise ValueError
    except ValueError:
        out.append(f"{at}: {value!r} is not a UUID")


def _lang_map(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be a language map")
        return
    for tag, text in value.items():
        if not _LANG.match(str(tag)):
            out.append(f"{at}: {tag!r} is not a language tag")
        if not isinstance(text, str):
            out.append(f"{at}.{tag}: must be a string")


def _extensions(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an object")
        return
    for key in value:
        _iri(key, f"{at} key", out)


def _timestamp(value: Any, at: str, out: list[str]) -> None:
    try:
        if not isinstance(value, str) or "T" not in value:
            raise ValueError
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        out.append(f"{at}: {value!r} is not an ISO 8601 date and time")


def _actor(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an Agent or a Group")
        return
    kind = value.get("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        out.append(f"{at}.objectType: {kind!r} is neither Agent nor Group")
        return
    _unknown(value, {"objectType", "name", "member", *IFIS}, f"{at}.", out)
    ifis = [k for k in IFIS if k in value]
    members = value.get("member")
    if kind == "Agent" and len(ifis) != 1:
        out.append(f"{at}: an Agent needs exactly one of {', '.join(IFIS)} (has {len(ifis)})")
    if kind == "Group" and len(ifis) > 1:
        out.append(f"{at}: a Group has at most one identifier")
    if kind == "Group" and not ifis and not members:
        out.append(f"{at}.member: an anonymous Group lists its members")
    if members is not None:
        if kind == "Agent" or not isinstance(members, list):
            out.append(f"{at}.member: only a Group has members (an array of Agents)")
        else:
            for i, m in enumerate(members):
                if isinstance(m, dict) and m.get("objectType", "Agent") != "Agent":
                    out.append(f"{at}.member[{i}]: must be an Agent")
                else:
                    _actor(m, f"{at}.member[{i}]", out)
    if "name" in value and not isinstance(value["name"], str):
        out.append(f"{at}.name: must be a string")
    mbox = value.get("mbox")
    if mbox is not None and not (isinstance(mbox, str) and re.match(r"^mailto:[^@\s]+@", mbox)):
        out.append(f"{at}.mbox: {mbox!r} is not a mailto: IRI")
    sha = value.get("mbox_sha1sum")
    if sha is not None and not (isinstance(sha, str) and _SHA1.match(sha)):
        out.append(f"{at}.mbox_sha1sum: not a hex SHA-1")
    if "openid" in value:
        _iri(value["openid"], f"{at}.openid", out)
    account = value.get("account")
    if account is not None:
        if not isinstance(account, dict):
            out.append(f"{at}.account: must be an object")
        else:
            _unknown(account, {"homePage", "name"}, f"{at}.account.", out)
            _iri(account.get("homePage"), f"{at}.account.homePage", out)
            name = account.get("name")
            if not isinstance(name, str) or not name:
                out.append(f"{at}.account.name: missing")


def _verb(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an object with an id")
        return
    _unknown(value, {"id", "display"}, f"{at}.", out)
    _iri(value.get("id"), f"{at}.id", out)
    if "display" in value:
        _lang_map(value["display"], f"{at}.display", out)


def _activity(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an Activity")
        return
    if value.get("objectType", "Activity") != "Activity":
        out.append(f"{at}.objectType: must be Activity")
    _unknown(value, {"objectType", "id", "definition"}, f"{at}.", out)
    _iri(value.get("id"), f"{at}.id", out)
    definition = value.get("definition")
    if definition is None:
        return
    if not isinstance(definition, dict):
        out.append(f"{at}.definition: must be an object")
        return
    for key in ("name", "description"):
        if key in definition:
            _lang_map(definition[key], f"{at}.definition.{key}", out)
    for key in ("type", "moreInfo"):
        if key in definition:
            _iri(definition[key], f"{at}.definition.{key}", out)
    kind = definition.get("interactionType")
    if kind is not None and kind not in INTERACTION_TYPES:
        out.append(f"{at}.definition.interactionType: {kind!r} is not an interaction type")
    pattern = definition.get("correctResponsesPattern")
    if pattern is not None and not (
        isinstance(pattern, list) and all(isinstance(p, str) for p in pattern)
    ):
        out.append(f"{at}.definition.correctResponsesPattern: must be an array of strings")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{at}.definition.extensions", out)


def _object(value: Any, at: str, out: list[str], *, nested: bool) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an object")
        return
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, at, out)
    elif kind in ("Agent", "Group"):
        _actor(value, at, out)
    elif kind == "StatementRef":
        _unknown(value, {"objectType", "id"}, f"{at}.", out)
        _uuid(value.get("id"), f"{at}.id", out)
    elif kind == "SubStatement" and not nested:
        _unknown(value, SUB, f"{at}.", out)
        _body(value, f"{at}.", out)
    else:
        out.append(f"{at}.objectType: {kind!r} is not allowed here")


def _result(value: Any, at: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an object")
        return
    fields = {"score", "success", "completion", "response", "duration", "extensions"}
    _unknown(value, fields, f"{at}.", out)
    for key in ("success", "completion"):
        if key in value and not isinstance(value[key], bool):
            out.append(f"{at}.{key}: must be true or false")
    if "response" in value and not isinstance(value["response"], str):
        out.append(f"{at}.response: must be a string")
    if "duration" in value:
        found = value["duration"]
        if not isinstance(found, str) or not _DURATION.match(found):
            out.append(f"{at}.duration: {found!r} is not an ISO 8601 duration")
    if "extensions" in value:
        _extensions(value["extensions"], f"{at}.extensions", out)
    if "score" in value:
        _score(value["score"], f"{at}.score", out)


def _score(score: Any, at: str, out: list[str]) -> None:
    if not isinstance(score, dict):
        out.append(f"{at}: must be an object")
        return
    _unknown(score, {"scaled", "raw", "min", "max"}, f"{at}.", out)
    nums = {}
    for key in ("scaled", "raw", "min", "max"):
        if key in score:
            if isinstance(score[key], bool) or not isinstance(score[key], int | float):
                out.append(f"{at}.{key}: must be a number")
            else:
                nums[key] = float(score[key])
    if "scaled" in nums and not -1 <= nums["scaled"] <= 1:
        out.append(f"{at}.scaled: {score['scaled']} is outside [-1, 1]")
    low, high, raw = nums.get("min"), nums.get("max"), nums.get("raw")
    if low is not None and high is not None and low >= high:
        out.append(f"{at}: min must be below max")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        out.append(f"{at}.raw: {score['raw']} is outside [min, max]")


def _context(value: Any, at: str, out: list[str], is_activity: bool) -> None:
    if not isinstance(value, dict):
        out.append(f"{at}: must be an object")
        return
    fields = {"registration", "instructor", "team", "contextActivities", "revision"}
    fields |= {"platform", "language", "statement", "extensions"}
    _unknown(value, fields, f"{at}.", out)
    if "registration" in value:
        _uuid(value["registration"], f"{at}.registration", out)
    if "instructor" in value:
        _actor(value["instructor"], f"{at}.instructor", out)
    team = value.get("team")
    if team is not None:
        if isinstance(team, dict) and team.get("objectType") == "Group":
            _actor(team, f"{at}.team", out)
        else:
            out.append(f"{at}.team: must be a Group")
    for key in ("revision", "platform"):
        if key in value:
            if not isinstance(value[key], str):
                out.append(f"{at}.{key}: must be a string")
            if not is_activity:
                out.append(f"{at}.{key}: only allowed when the object is an Activity")
    lang = value.get("language")
    if lang is not None and not (isinstance(lang, str) and _LANG.match(lang)):
        out.append(f"{at}.language: {lang!r} is not a language tag")
    ref = value.get("statement")
    if ref is not None:
        if isinstance(ref, dict) and ref.get("objectType") == "StatementRef":
            _uuid(ref.get("id"), f"{at}.statement.id", out)
        else:
            out.append(f"{at}.statement: must be a StatementRef")
    activities = value.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, dict):
            out.append(f"{at}.contextActivities: must be an object")
        else:
            _unknown(activities, CONTEXT_ACTIVITIES, f"{at}.contextActivities.", out)
            for key, found in activities.items():
                for i, a in enumerate(found if isinstance(found, list) else [found]):
                    _activity(a, f"{at}.contextActivities.{key}[{i}]", out)
    if "extensions" in value:
        _extensions(value["extensions"], f"{at}.extensions", out)
