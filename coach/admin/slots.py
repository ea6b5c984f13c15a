"""Turning the names and dates found in a question into the tools' arguments, or into the
candidate readings to ask about when the question is ambiguous (never a guess)."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.admin.entities import STOP, Match, norm
from coach.admin.org import OrgData, Period, Scope
from coach.admin.understand import Reading

CLOSE = 0.12  # two matches this close in score are equally likely readings


@dataclass
class Ask:
    """A clarifying question: what is unclear and the readings to choose from."""

    what: str  # session, course, person, manager, team, date
    options: list[tuple[str, str]] = field(default_factory=list)  # (key, label)


def _top(matches: list[Match]) -> list[Match]:
    """The matches as good as the best (several → ambiguous)."""
    if not matches:
        return []
    best = matches[0].score
    return [m for m in matches if m.score >= best - CLOSE and m.exact == matches[0].exact]


def item(
    reading: Reading,
    org: OrgData,
    *,
    default: str | None = None,
    among: set[str] | None = None,
) -> str | Ask | None:
    """The course named, None when none is, an :class:`Ask` when several fit; ``among``:
    the courses that make sense for the question (overdue: the mandatory ones)."""
    found = reading.entities.of("item")
    if among is not None:
        # the courses that fit win; else one named in full stays (its answer may be empty)
        fitting = [m for m in found if m.key in among]
        found = fitting or [m for m in found if m.score >= 1.0]
    top = _top(found)
    sessions = reading.entities.of("session")
    if not top and sessions:
        return org.live_session(sessions[0].key).item_id
    modality = reading.modality or default
    if len(top) > 1 and modality:  # "the Python course" vs "the Python clinic"
        fits = [m for m in top if _is_live(org, m.key) == (modality == "live")]
        top = fits or top
    if len(top) == 1:
        return top[0].key
    if top:
        return Ask("course", [(m.key, m.label) for m in top])
    return None


def _is_live(org: OrgData, item_id: str) -> bool:
    item = org.catalog.items[item_id]
    return bool(org.catalog.sessions_of.get(item_id)) or item.modality.value != "e-learning"


def period(reading: Reading) -> Period | None:
    """The period named: the first range ("this quarter") before any single day, which is
    more often context ("before the committee on Monday")."""
    if not reading.dates:
        return None
    d = next((d for d in reading.dates if d.start != d.end), reading.dates[0])
    return Period(d.start, d.end, d.text)


def _people(reading: Reading) -> list[Match]:
    full = [m for m in reading.entities.of("person") if m.score >= 1.0]
    return full or reading.entities.of("person")


def people(reading: Reading, org: OrgData) -> list[str] | Ask | None:
    """LMS ids of the learners named; an :class:`Ask` when a name fits several."""
    found = _people(reading)
    if not found:
        return None
    by_label: dict[str, list[Match]] = {}
    for m in found:
        by_label.setdefault(m.label.split()[0].lower(), []).append(m)
    out = []
    for matches in by_label.values():
        strong = [m for m in matches if m.score >= 1.0]
        pick = strong or matches
        if len(pick) > 1:
            return Ask("person", [(m.key, f"{m.label} ({_team(org, m.key)})") for m in pick])
        out.append(pick[0].key)
    return sorted(set(out))


def _team(org: OrgData, learner_id: str) -> str:
    return next((p.team for p in org.people if p.id == learner_id), "")


def scope(reading: Reading, org: OrgData) -> Scope | Ask:
    """Team, manager's team, role or learners the question limits itself to."""
    teams = _top(reading.entities.of("team"))
    named_manager = any(m.score >= 1.0 for m in reading.entities.of("manager"))
    if not teams and reading.team_word and not named_manager:  # "the warehouse team"
        teams = _top(reading.entities.of("team_part"))
    managers = reading.entities.of("manager")
    roles = _top(reading.entities.of("role"))
    if len(teams) > 1:
        return Ask("team", [(m.key, m.label) for m in teams])
    full_managers = [m for m in managers if m.score >= 1.0]
    manager_pick = full_managers or (managers if reading.team_word else [])
    if len(manager_pick) > 1 and not full_managers:
        return Ask("manager", [(m.key, f"{m.label}'s team") for m in manager_pick])
    manager = manager_pick[0].key if manager_pick else None
    learners = None
    team = teams[0].key if teams else None
    if manager is None:
        named = people(reading, org)
        if isinstance(named, Ask):
            return named
        if named and len(named) == 1 and reading.team_word and team is None:
            # "Luc says his whole team is behind": the named learner's team
            team = next((p.team for p in org.people if p.id == named[0]), None)
        else:
            learners = tuple(named) if named else None
    return Scope(
        team=team,
        manager=manager,
        role=roles[0].key if len(roles) == 1 else None,
        learners=learners,
    )


def session(reading: Reading, org: OrgData, *, past: bool | None) -> str | Ask | None:
    """The session meant: named by id, else a course's session on the date named, else its
    next (``past`` False) or latest (``past`` True) one when the question says so or only one
    fits. None when no course or session is named."""
    named = reading.entities.of("session")
    if named:
        return named[0].key
    which = item(reading, org)
    if which is None:
        return None
    # several courses fit ("the feedback session"): their sessions together, then narrowed
    item_ids = [key for key, _ in which.options] if isinstance(which, Ask) else [which]
    if isinstance(which, Ask) and which.what != "course":
        return which
    candidates = sorted(
        (
            s
            for i in item_ids
            for s in org.catalog.sessions_of.get(i, [])
            if s.id not in org.cancelled or past
        ),
        key=lambda s: (s.start, s.id),
    )
    if not candidates:  # courses without sessions (e-learning): nothing to pick
        return which if isinstance(which, Ask) else None
    today = org.today
    if reading.dates:  # the first date that names any of these sessions ("tomorrow" may not)
        for when in reading.dates:
            dated = [s for s in candidates if when.start <= s.start.date() <= when.end]
            if dated:
                break
        candidates = dated
    elif reading.ordinal == "next" or past is False:
        upcoming = [s for s in candidates if s.start.date() >= today]
        candidates = upcoming[:1] if reading.ordinal == "next" else upcoming
    elif reading.ordinal == "last" or past:
        done = [s for s in candidates if s.start.date() <= today]
        candidates = done[-1:] if reading.ordinal == "last" else done
    words = set(reading.entities.text.split())
    placed = [s for s in candidates if words & _place_words(s.place)]
    candidates = placed or candidates
    if len(candidates) == 1:
        return candidates[0].id
    if not candidates:
        every = [s for i in item_ids for s in org.catalog.sessions_of.get(i, [])]
        return Ask("session", [(s.id, org.session_label(s.id)) for s in every][-8:])
    return Ask("session", [(s.id, org.session_label(s.id)) for s in candidates][:8])


def _place_words(place: str) -> set[str]:
    return {w for w in norm(place).split() if len(w) >= 4 and w not in STOP}
