"""What the admin assistant says, in English and French."""

from __future__ import annotations

from typing import Any

PHRASES: dict[str, tuple[str, str]] = {
    "col_name": ("Name", "Nom"),
    "col_team": ("Team", "Équipe"),
    "col_role": ("Role", "Rôle"),
    "col_status": ("Status", "Statut"),
    "col_signoff": ("Sign-off", "Émargement"),
    "col_item": ("Training", "Formation"),
    "col_due": ("Due", "Échéance"),
    "col_days_late": ("Days late", "Jours de retard"),
    "col_capacity": ("Capacity", "Capacité"),
    "col_enrolled": ("Enrolled", "Inscrits"),
    "col_wait": ("Waiting list", "Liste d'attente"),
    "col_free": ("Free seats", "Places libres"),
    "col_group": ("Group", "Groupe"),
    "col_done": ("Completed", "Terminé"),
    "col_population": ("Enrolled", "Inscrits"),
    "col_rate": ("Rate", "Taux"),
    "col_attempts": ("Attempts", "Tentatives"),
    "col_avg": ("Average score", "Score moyen"),
    "col_pass": ("Pass rate", "Taux de réussite"),
    "col_active": ("Active learners", "Apprenants actifs"),
    "col_minutes": ("Minutes", "Minutes"),
    "col_minutes_avg": ("Minutes per learner", "Minutes par apprenant"),
    "col_waiting": ("Days waiting", "Jours d'attente"),
    "all": ("All", "Tous"),
    "backlog_title": ("Paths awaiting review", "Parcours en attente de validation"),
    "backlog": (
        "{n} path(s) await review; the oldest has waited {oldest} day(s).",
        "{n} parcours attendent une validation ; le plus ancien attend depuis {oldest} jour(s).",
    ),
    "pre": ("Pre-test", "Test initial"),
    "post": ("Post-test", "Test final"),
    "signed": ("signed", "signé"),
    "absent": ("marked absent", "absent"),
    "no_row": ("no signature", "pas de signature"),
    "cancelled": ("This session is cancelled.", "Cette session est annulée."),
    "seats": (
        "{label}: {cap} seats, {enr} enrolled, {wait} on the waiting list, {free} free.",
        "{label} : {cap} places, {enr} inscrits, {wait} en liste d'attente, {free} libres.",
    ),
    "roster_enrolled": (
        "{n} learner(s) enrolled in {label}: {names}.",
        "{n} apprenant(s) inscrit(s) à {label} : {names}.",
    ),
    "roster_waitlisted": (
        "{n} learner(s) on the waiting list of {label}: {names}.",
        "{n} apprenant(s) en liste d'attente pour {label} : {names}.",
    ),
    "signed_list": (
        "{n} of the {of} enrolled learner(s) signed the attendance sheet of {label}: {names}.",
        "{n} des {of} inscrit(s) ont signé la feuille d'émargement de {label} : {names}.",
    ),
    "unsigned": (
        "{n} of the {of} enrolled learner(s) have not signed the attendance sheet of {label}:"
        " {names}.",
        "{n} des {of} inscrit(s) n'ont pas signé la feuille d'émargement de {label} : {names}.",
    ),
    "overdue_title": ("Overdue mandatory training", "Formations obligatoires en retard"),
    "overdue": (
        "{n} of {of} learner(s) are overdue on mandatory training: {names}.",
        "{n} apprenant(s) sur {of} sont en retard sur une formation obligatoire : {names}.",
    ),
    "completion_title": ("Completion rate: {item}", "Taux de complétion : {item}"),
    "completion": (
        "Completion rate of {item}: {rate} ({done} of {n} enrolled learners).",
        "Taux de complétion de {item} : {rate} ({done} sur {n} inscrits).",
    ),
    "completion_groups": (
        "Completion rate of {item} in {n} group(s): {detail}.",
        "Taux de complétion de {item} dans {n} groupe(s) : {detail}.",
    ),
    "no_population": (
        "No one in these filters is enrolled in {item}, so there is no completion rate.",
        "Personne n'est inscrit à {item} avec ces filtres : pas de taux de complétion.",
    ),
    "progression_title": ("Pre/post-test: {item}", "Test initial / final : {item}"),
    "progression": (
        "{item}: average pre-test {pre}, post-test {post}, gain {gain} points ({n} learners"
        " with both tests).",
        "{item} : test initial {pre} en moyenne, test final {post}, progression {gain} points"
        " ({n} apprenants avec les deux tests).",
    ),
    "no_tests": (
        "No learner in these filters has both a pre-test and a post-test of {item}.",
        "Aucun apprenant de ce périmètre n'a à la fois un test initial et un test final de {item}.",
    ),
    "quiz": (
        "{what}: {n} quiz attempt(s), average score {avg}, pass rate {passed}.",
        "{what} : {n} tentative(s), score moyen {avg}, taux de réussite {passed}.",
    ),
    "no_quiz": (
        "No quiz results for {what} in these filters.",
        "Aucun résultat de quiz pour {what}.",
    ),
    "engagement_title": ("Engagement", "Engagement"),
    "engagement_trend": ("Active learners per week", "Apprenants actifs par semaine"),
    "engagement": (
        "{n} active learner(s) from {start} to {end}, {minutes} minutes in all ({avg} per"
        " active learner).",
        "{n} apprenant(s) actif(s) du {start} au {end}, {minutes} minutes au total ({avg} par"
        " apprenant actif).",
    ),
}


def say(lang: str, key: str, **values: Any) -> str:
    """The phrase ``key`` in ``lang`` (French when ``fr``, else English), filled in."""
    en, fr = PHRASES[key]
    return (fr if lang == "fr" else en).format(**values)


def pct(value: float | None) -> str:
    """A fraction as a percentage with one decimal."""
    return "—" if value is None else f"{value * 100:.1f}%"


ASK: dict[str, tuple[str, str]] = {
    "session": (
        "Which session do you mean? Pick one, or name its date.",
        "De quelle session parlez-vous ? Choisissez-en une, ou précisez sa date.",
    ),
    "course": ("Which course do you mean?", "De quelle formation parlez-vous ?"),
    "person": (
        "Which learner do you mean? Several people match, or none is named.",
        "De quel apprenant parlez-vous ? Plusieurs personnes correspondent, ou aucune n'est"
        " nommée.",
    ),
    "manager": ("Whose team do you mean?", "L'équipe de quel manager ?"),
    "team": ("Which team do you mean?", "De quelle équipe parlez-vous ?"),
    "date": (
        "I couldn't read the date “{detail}”. Could you give it as 2026-11-17 or 17 November 2026?",
        "Je n'ai pas compris la date « {detail} ». Pouvez-vous l'écrire 2026-11-17 ou"
        " 17 novembre 2026 ?",
    ),
    "period": (
        "Which period do you mean? Give it as dates (since 2026-09-01, in October, this"
        " quarter...): I don't guess periods.",
        "Quelle période ? Donnez-la en dates (depuis le 2026-09-01, en octobre, ce"
        " trimestre...) : je ne devine pas les périodes.",
    ),
    "intent": (
        "I'm not sure what you are asking. Did you mean one of these?",
        "Je ne suis pas sûr de comprendre. Vouliez-vous dire l'une de ces questions ?",
    ),
    "confirm": (
        "I can do this once you confirm: {summary} Nothing changes until you press Confirm.",
        "Je peux le faire après votre confirmation : {summary} Rien ne change avant que vous"
        " cliquiez sur Confirmer.",
    ),
    "do_enrol": ("Enrol {names} in {target}.", "Inscrire {names} à {target}."),
    "do_remind": (
        "Send a reminder to {n} learner(s) ({names}) about {target}.",
        "Envoyer une relance à {n} apprenant(s) ({names}) pour {target}.",
    ),
    "do_mark_attendance": (
        "Mark {names} as {signed} at {target}.",
        "Marquer {names} comme {signed} à {target}.",
    ),
    "do_cancel_session": (
        "Cancel the session {target} (enrolled learners keep their enrolment record).",
        "Annuler la session {target} (les inscriptions restent enregistrées).",
    ),
}
REFUSALS: dict[str, tuple[str, str]] = {
    "scope": (
        "I can't answer that: it is outside what the admin guide and the training data cover.",
        "Je ne peux pas répondre à cela : ce n'est couvert ni par le guide d'administration ni"
        " par les données de formation.",
    ),
    "secrets": (
        "I can't answer that: I never reveal tokens, passwords, keys or my instructions.",
        "Je ne peux pas répondre à cela : je ne révèle jamais de jetons, mots de passe, clés"
        " ni mes instructions.",
    ),
    "override": (
        "I can't answer that: I only propose actions, one at a time, and nothing runs"
        " without an admin's confirmation.",
        "Je ne peux pas répondre à cela : je propose seulement des actions, une à la fois, et"
        " rien ne s'exécute sans la confirmation d'un administrateur.",
    ),
}


def ask_text(lang: str, what: str, **values: Any) -> str:
    """A clarifying question or an action's description."""
    if "signed" in values:
        present = ("present (signed)", "présent (signé)")
        absent = ("absent", "absent")
        values["signed"] = (present if values["signed"] else absent)[lang == "fr"]
    en, fr = ASK[what]
    return (fr if lang == "fr" else en).format(**values)


def refusal_text(lang: str, why: str) -> str:
    """ "I can't answer that", with the reason."""
    en, fr = REFUSALS[why]
    return fr if lang == "fr" else en


INTENTS: dict[str, tuple[str, str]] = {
    "howto": ("How to do it (from the admin guide)", "Comment faire (guide d'administration)"),
    "seats": ("Seats and waiting list of a session", "Places et liste d'attente d'une session"),
    "roster": ("Who is enrolled in a session", "Les inscrits d'une session"),
    "attendance": ("Attendance sign-off of a session", "L'émargement d'une session"),
    "overdue": ("Overdue mandatory training", "Retards sur les formations obligatoires"),
    "completion": ("Completion rate of a course", "Taux de complétion d'une formation"),
    "progression": ("Pre/post-test progression", "Progression test initial / final"),
    "quiz": ("Quiz results", "Résultats des quiz"),
    "engagement": ("Engagement: active learners, time spent", "Engagement : actifs, temps passé"),
    "backlog": ("Paths awaiting review", "Parcours en attente de validation"),
    "content_gaps": (
        "What learners ask that the courses don't cover",
        "Ce que les apprenants demandent et que les cours ne couvrent pas",
    ),
    "enrol": ("Enrol someone (to confirm)", "Inscrire quelqu'un (à confirmer)"),
    "remind": ("Send a reminder (to confirm)", "Envoyer une relance (à confirmer)"),
    "mark_attendance": ("Mark attendance (to confirm)", "Marquer une présence (à confirmer)"),
    "cancel_session": ("Cancel a session (to confirm)", "Annuler une session (à confirmer)"),
}


def intent_label(lang: str, intent: str) -> str:
    """A reading of the question as the admin would say it."""
    en, fr = INTENTS.get(intent, (intent, intent))
    return fr if lang == "fr" else en
