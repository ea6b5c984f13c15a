"""The admin assistant's answer to "what do learners ask that our courses don't cover?":
the Insights page's topics (same figures, same minimum of learners), as a data result."""

from __future__ import annotations

from sqlalchemy.orm import Session

from coach.admin.schemas import DataResult, Table
from coach.insights import report, views

TEXT = {
    "title": ("Uncovered topics", "Sujets non couverts"),
    "some": (
        "{n} topic(s) that the courses don't cover were asked by at least {min} learners in"
        " the last {days} days; the first: “{label}” ({learners} learners). {hidden} smaller"
        " topic(s) are hidden.",
        "{n} sujet(s) que les cours ne couvrent pas ont été demandés par au moins {min}"
        " apprenants ces {days} derniers jours ; le premier : « {label} » ({learners}"
        " apprenants). {hidden} sujet(s) plus petit(s) masqué(s).",
    ),
    "none": (
        "No topic that the courses don't cover was asked by at least {min} learners in the"
        " last {days} days (topics last grouped: {when}).",
        "Aucun sujet non couvert par les cours n'a été demandé par au moins {min} apprenants"
        " ces {days} derniers jours (sujets regroupés le : {when}).",
    ),
    "never": ("never", "jamais"),
    "columns": (
        ["#", "Topic", "Learners", "Questions", "Last asked", "Nearest module"],
        ["#", "Sujet", "Apprenants", "Questions", "Dernière question", "Module le plus proche"],
    ),
}


def _t(lang: str, key: str) -> str:
    en, fr = TEXT[key]
    return str(fr if lang == "fr" else en)


def content_gaps(session: Session, *, org_id: str, lang: str = "en") -> DataResult:
    """The shown topics of uncovered questions, best ranked first."""
    settings = report.settings_of(session, org_id)
    data = views.topic_list(session, org_id=org_id)
    values = {"min": data.min_learners, "days": settings.period_days, "hidden": data.hidden}
    if data.topics:
        first = data.topics[0]
        summary = _t(lang, "some").format(
            n=len(data.topics), label=first.label, learners=first.learners, **values
        )
    else:
        when = data.refreshed_at.date().isoformat() if data.refreshed_at else _t(lang, "never")
        summary = _t(lang, "none").format(when=when, **values)
    en, fr = TEXT["columns"]
    return DataResult(
        tool="content_gaps",
        title=_t(lang, "title"),
        summary=summary,
        filters={"min_learners": data.min_learners, "period_days": settings.period_days},
        answer={
            "type": "topics",
            "count": len(data.topics),
            "topics": [
                {"label": t.label, "learners": t.learners, "questions": t.questions}
                for t in data.topics
            ],
        },
        table=Table(
            columns=list(fr if lang == "fr" else en),
            rows=[
                [
                    t.rank,
                    t.label,
                    t.learners,
                    t.questions,
                    t.last_asked.date().isoformat(),
                    t.nearest.title if t.nearest and t.nearest.title else "—",
                ]
                for t in data.topics
            ],
        ),
        chart=data.chart,
    )
