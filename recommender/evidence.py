"""A step's evidence (plain JSON data) and the sentence rendered from it, in either language."""

from __future__ import annotations

from typing import Any

from recommender.plan import Gap
from recommender.reasons import say, sentence
from recommender.schedule import Placed
from recommender.select import Choice


def step_evidence(choice: Choice, placed: Placed, titles: dict[str, str]) -> dict[str, Any]:
    """Everything the step's reason cites, as JSON-ready data."""
    ev: dict[str, Any] = {}
    gaps = []
    for g in choice.gaps:
        if g.skill is None:
            continue
        frm, to, target = choice.raises.get(g.skill, (g.current, g.current, g.target))
        gaps.append(
            {
                "skill": g.skill,
                "label": g.label,
                "from": frm,
                "to": to,
                "target": target,
                "deadline": g.deadline.isoformat() if g.deadline else None,
                "sources": [{"kind": s.kind, "ref": s.ref, "label": s.label} for s in g.sources],
            }
        )
    if gaps:
        ev["gaps"] = gaps
    mandatory = [g for g in choice.gaps if g.item is not None]
    if mandatory:
        g = mandatory[0]
        ev["mandatory"] = {
            "role": g.sources[0].label if g.sources else "",
            "due": g.deadline.isoformat() if g.deadline else None,
            "retake_of": choice.retake_of,
        }
    elif choice.retake_of:
        ev["retake_of"] = choice.retake_of
    if choice.prereq_of:
        ev["prerequisite_of"] = [{"item": i, "title": titles.get(i, i)} for i in choice.prereq_of]
    weak = [_weak(g) for g in choice.gaps if g.weak is not None]
    if weak:
        ev["weak"] = weak
    ev["collaborative"] = {"similar": round(choice.similar, 3), "popular": round(choice.popular, 3)}
    if choice.preferred:
        ev["preferred_modality"] = choice.item.modality.value
    if choice.blend:
        ev["blend"] = True
    if choice.other_language:
        ev["language"] = choice.item.language
    if choice.instead:
        ev["instead"] = [{"title": t, "why": w} for t, w in choice.instead]
    if placed.session is not None:
        s = placed.session
        ev["session"] = {
            "id": s.id,
            "start": s.start.isoformat(),
            "place": s.place,
            "trainer": s.trainer,
            "seats": s.seats,
            "free": s.free_seats,
        }
    if placed.skipped:
        ev["skipped_sessions"] = [{"date": d, "why": w} for d, w in placed.skipped]
    return ev


def _weak(g: Gap) -> dict[str, Any]:
    w = g.weak
    assert w is not None
    return {
        "skill": w.skill,
        "label": g.label,
        "score": round(w.score, 3),
        "source": w.source,
        "on": w.on.isoformat() if w.on else None,
        "n_attempts": w.n_attempts,
    }


def render_reason(ev: dict[str, Any], language: str = "en") -> str:
    """The step's reason as one sentence, from its evidence."""
    parts: list[str] = []
    for g in ev.get("gaps", []):
        key = "gap" if g["to"] >= g["target"] else "gap_partial"
        parts.append(
            say(key, language, skill=g["label"], frm=g["from"], to=g["to"], target=g["target"])
        )
    m = ev.get("mandatory")
    if m:
        if m.get("retake_of"):
            parts.append(say("renewal", language, role=m["role"], due=m["due"]))
        else:
            parts.append(say("mandatory", language, role=m["role"]))
    elif ev.get("retake_of"):
        parts.append(say("retake", language, on=ev["retake_of"]))
    if ev.get("prerequisite_of"):
        titles = ", ".join(p["title"] for p in ev["prerequisite_of"])
        parts.append(say("prereq_of", language, titles=titles))
    seen: set[str] = set()
    for g in ev.get("gaps", []):
        for s in g["sources"]:
            if s["kind"] == "goal" and s["label"] not in seen:
                seen.add(s["label"])
                if g.get("deadline"):
                    parts.append(say("goal_by", language, goal=s["label"], deadline=g["deadline"]))
                else:
                    parts.append(say("goal", language, goal=s["label"]))
            elif s["kind"] == "role" and "role" not in seen:
                seen.add("role")
                parts.append(say("role", language, role=s["label"]))
    for w in ev.get("weak", []):
        pct = round(100 * w["score"])
        if w["source"] == "quiz":
            parts.append(say("quiz", language, skill=w["label"], pct=pct))
        else:
            parts.append(say("mastery", language, skill=w["label"], pct=pct, n=w["n_attempts"]))
    for alt in ev.get("instead", []):
        parts.append(say("instead", language, title=alt["title"], why=alt["why"]))
    if ev.get("preferred_modality"):
        parts.append(say("preference", language, modality=ev["preferred_modality"]))
    if ev.get("blend"):
        parts.append(say("blend", language))
    collab = ev.get("collaborative", {})
    if collab.get("similar", 0) >= 0.1:
        parts.append(say("collab", language))
    elif collab.get("popular", 0) >= 0.2:
        parts.append(say("popular", language))
    if ev.get("language"):
        parts.append(say("language", language, lang=ev["language"]))
    s = ev.get("session")
    if s:
        parts.append(
            say(
                "session",
                language,
                date=s["start"][:10],
                place=s["place"] or "-",
                free=s["free"],
                seats=s["seats"],
            )
        )
    if ev.get("skipped_sessions"):
        why = ", ".join(
            f"{x['date']} {say(x['why'], language, on='', deadline='')}"
            for x in ev["skipped_sessions"]
        )
        parts.append(say("skipped_sessions", language, why=why))
    return sentence(parts)
