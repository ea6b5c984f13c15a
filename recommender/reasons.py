"""Human-readable reasons and warnings, in English or French, from structured evidence."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "gap": "closes the gap in {skill} from level {frm} to {to}",
        "gap_partial": "raises {skill} from level {frm} to {to} (target {target})",
        "mandatory": "mandatory for your role ({role})",
        "renewal": "mandatory for your role ({role}); renewal due {due}",
        "retake": "a retake: you already completed it on {on}",
        "prereq_of": "prerequisite of {titles}",
        "quiz": "your last quiz on {skill} was {pct}%",
        "mastery": "your mastery of {skill} is {pct}% after {n} answers",
        "goal": "for your goal '{goal}'",
        "goal_by": "for your goal '{goal}' by {deadline}",
        "role": "needed in your role ({role})",
        "instead": "instead of {title} ({why})",
        "collab": "often taken by colleagues with a similar history",
        "popular": "popular with colleagues in your role",
        "preference": "in a modality you prefer ({modality})",
        "blend": "practice after e-learning, for a blended path",
        "language": "only available in {lang}",
        "session": "session on {date}, {place} ({free} of {seats} seats free)",
        "skipped_sessions": "earlier sessions skipped: {why}",
        # warnings and fallbacks
        "w_late": "'{goal}' cannot be met by {deadline}: {title} ends on {end}",
        "w_unknown_skill": "goal '{goal}' names unknown skill '{skill}': ignored",
        "w_unknown_role": "unknown role '{role}': no role profile applied",
        "w_past_deadline": "the deadline of '{goal}' ({deadline}) is already past: planned as soon as possible",
        "w_overdue": "{title} is overdue since {due}: planned first, within two weeks",
        "everyone": "all employees",
        "w_no_item": "no item in the catalog brings {skill} to level {target}: the gap stays open",
        "w_no_history": "no history yet: levels start at 0 and suggestions use colleagues in the same role",
        "w_unschedulable": "{title} cannot be scheduled ({why}) and has no alternative: gap in {skills} stays open",
        "w_fallback": "{title} replaced by {other}: {why}",
        "w_session_budget": "{title} lasts {hours} h, more than your {budget} h a week: counted in the week of {date}",
        "w_horizon": "the path does not fit in {weeks} weeks at {budget} h a week: {title} left out",
        # why a session or item was not used
        "full": "full",
        "all_full": "all sessions are full",
        "enrolment_closed": "enrolment closed on {on}",
        "past": "already held",
        "after_deadline": "after the deadline {deadline}",
        "before_prereqs": "before its prerequisites can be done",
        "no_sessions": "no session is scheduled",
        "circular": "its prerequisites loop back through {title}",
        "w_over_budget": "{title} on {date}: the only session with a seat falls in a week already full, so that week is over budget",
        "unteachable": "it needs {skill} at level {level}, which no item teaches",
        "coaching_full": "no coaching slot left before {deadline}",
    },
    "fr": {
        "gap": "comble l'écart en {skill} du niveau {frm} au niveau {to}",
        "gap_partial": "fait passer {skill} du niveau {frm} au niveau {to} (cible {target})",
        "mandatory": "obligatoire pour votre poste ({role})",
        "renewal": "obligatoire pour votre poste ({role}) ; renouvellement dû le {due}",
        "retake": "à refaire : déjà suivi le {on}",
        "prereq_of": "prérequis de {titles}",
        "quiz": "votre dernier quiz sur {skill} : {pct} %",
        "mastery": "votre maîtrise de {skill} est de {pct} % après {n} réponses",
        "goal": "pour votre objectif « {goal} »",
        "goal_by": "pour votre objectif « {goal} » d'ici le {deadline}",
        "role": "requis dans votre poste ({role})",
        "instead": "à la place de {title} ({why})",
        "collab": "souvent suivi par des collègues au parcours proche",
        "popular": "apprécié des collègues de votre poste",
        "preference": "dans une modalité que vous préférez ({modality})",
        "blend": "de la pratique après l'e-learning, pour un parcours mixte",
        "language": "disponible seulement en {lang}",
        "session": "session du {date}, {place} ({free} places libres sur {seats})",
        "skipped_sessions": "sessions précédentes écartées : {why}",
        "w_late": "« {goal} » ne peut pas être atteint avant le {deadline} : {title} finit le {end}",
        "w_unknown_skill": "l'objectif « {goal} » cite une compétence inconnue « {skill} » : ignorée",
        "w_unknown_role": "poste inconnu « {role} » : aucun profil appliqué",
        "w_past_deadline": "l'échéance de « {goal} » ({deadline}) est dépassée : planifié au plus tôt",
        "w_overdue": "{title} est en retard depuis le {due} : planifié en premier, sous deux semaines",
        "everyone": "tous les salariés",
        "w_no_item": "aucun élément du catalogue n'amène {skill} au niveau {target} : l'écart reste ouvert",
        "w_no_history": "pas encore d'historique : niveaux à 0, suggestions d'après les collègues du même poste",
        "w_unschedulable": "{title} ne peut pas être planifié ({why}) et n'a pas d'alternative : l'écart en {skills} reste ouvert",
        "w_fallback": "{title} remplacé par {other} : {why}",
        "w_session_budget": "{title} dure {hours} h, plus que vos {budget} h par semaine : compté la semaine du {date}",
        "w_horizon": "le parcours ne tient pas en {weeks} semaines à {budget} h par semaine : {title} laissé de côté",
        "full": "complète",
        "all_full": "toutes les sessions sont complètes",
        "enrolment_closed": "inscriptions closes le {on}",
        "past": "déjà passée",
        "after_deadline": "après l'échéance du {deadline}",
        "before_prereqs": "avant que ses prérequis puissent être faits",
        "no_sessions": "aucune session prévue",
        "circular": "ses prérequis reviennent à {title}",
        "w_over_budget": "{title} le {date} : la seule session avec une place tombe une semaine déjà pleine, qui dépasse donc le budget",
        "unteachable": "il faut {skill} au niveau {level}, qu'aucun élément n'enseigne",
        "coaching_full": "plus de créneau de coaching avant le {deadline}",
    },
}


def say(key: str, language: str = "en", **values: Any) -> str:
    """The sentence ``key`` in ``language`` (English when it has no translation)."""
    table = TEXT.get(language, TEXT["en"])
    return table.get(key, TEXT["en"][key]).format(**values)


def sentence(parts: list[str]) -> str:
    """Clauses joined into one sentence with a capital and a full stop."""
    text = "; ".join(p for p in parts if p)
    return (text[:1].upper() + text[1:] + ".") if text else ""
