"""English words of LMS administration for French ones, for searching the admin guide
across languages: the English guide covers more topics than the French one, so a French
question about "émargement" also searches for "attendance sign-off". Normalised (lower
case, no accents)."""

from __future__ import annotations

from functools import cache

from coach.admin.entities import norm

PAIRS: tuple[tuple[str, str], ...] = (
    ("attendance sheet sign off", "emargement feuille d emargement"),
    ("sign", "signer emarger"),
    ("waiting list", "liste d attente"),
    ("reminder", "relance rappel"),
    ("remind", "relancer"),
    ("enrolment enrol", "inscription inscrire"),
    ("learner", "apprenant stagiaire"),
    ("trainer", "formateur"),
    ("session", "session"),
    ("virtual class", "classe virtuelle"),
    ("in person", "presentiel"),
    ("path", "parcours"),
    ("approve", "approuver valider"),
    ("reviewer", "relecteur"),
    ("completion", "completion achevement"),
    ("completed", "termine"),
    ("overdue", "en retard retardataire"),
    ("mandatory training", "formation obligatoire"),
    ("due date", "echeance"),
    ("renewal", "renouvellement"),
    ("report", "rapport"),
    ("export", "exporter export"),
    ("erasure delete", "effacement supprimer"),
    ("data request", "demande de donnees"),
    ("access request", "demande d acces"),
    ("retention", "conservation"),
    ("token", "jeton"),
    ("role", "role"),
    ("permission", "droit"),
    ("widget", "widget"),
    ("chat widget coach button", "bouton du coach"),
    ("import", "importer"),
    ("capacity", "capacite"),
    ("full", "complet complete"),
    ("cancel", "annuler"),
    ("promote", "promouvoir faire passer"),
    ("seat", "place"),
    ("manager", "manager responsable"),
    ("half day", "demi journee"),
    ("late arrival", "retard arrivee"),
    ("quiz", "quiz"),
    ("pre test post test", "test initial test final"),
    ("engagement", "engagement"),
    ("time spent", "temps passe"),
    # everyday admin words (French question, English section)
    ("employee", "salarie salaries collaborateur"),
    ("new starter", "nouvel arrivant nouveaux arrivants"),
    ("cohort", "promo promotion"),
    ("access", "acces"),
    ("lock out", "bloquer"),
    ("leaves", "quitte quitter depart"),
    ("renew", "renouveler"),
    ("expire", "expire expirer expiration"),
    ("new token", "nouveau jeton"),
    ("button", "bouton"),
    ("greyed out disabled", "grise"),
    ("file csv", "fichier"),
    ("order", "ordre"),
    ("first", "premier premiere"),
    ("load", "chargement charger"),
    ("participants maximum", "participants nombre maximum"),
    ("exceed", "depasser"),
    ("placeholders", "variables accolades"),
    ("template", "modele"),
    ("external", "exterieur externe"),
    ("manually", "a la main manuellement"),
    ("calculated", "calcule calculer"),
    ("period", "periode"),
    ("conversations", "conversations"),
    ("keep retention", "conserver conserve garder"),
    ("move", "deplacer"),
    ("switch off opt out", "couper desactiver"),
    ("settings", "reglages parametres"),
    ("what to check", "que verifier"),
    ("page", "page"),
    ("who confirmed audit", "qui a confirme journal"),
    ("history", "historique"),
    ("erasure", "effacement"),
    ("kept", "conserve"),
    ("team", "equipe"),
    ("create", "creer"),
    ("date", "date"),
    ("deadline", "date limite"),
    ("error", "erreur"),
    ("missing", "manquant manque"),
    ("reject requesting changes", "rejeter refuser demander des modifications"),
    ("completion rate calculated", "taux de completion taux d achevement"),
    ("counts as overdue", "considere en retard"),
    ("respond time limit", "repondre delai delais"),
    ("recertification", "recertification recyclage"),
    ("prove presence", "prouver presence"),
)
# Everyday English for the guide's own words (an admin says "waitlist", the guide "waiting
# list"): added to the search query like the French glossary's words. Normalised.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("deadline", "cut off|cutoff|closing date|last day to"),
    ("enrolment enrol", "sign up|signing up|signup|register for|registration|book onto"),
    ("waiting list", "waitlist|wait list|queued|queue"),
    ("erasure erase", "wipe|delete their data|remove their data|forget me|forgotten"),
    ("refused", "rejected|rejects|bounced"),
    ("renewal recertification", "redo|retake|renew|recertify|expires|expiry"),
    ("attendance sign off", "attendance sheet|roll call|sign in sheet"),
    ("chat widget", "chat bubble|chat button|chatbot|chat window"),
    ("access token", "api key|api token"),
    ("locking out leaves", "leaver|leavers|offboarding|offboard"),
    ("overdue", "lapsed|behind on"),
    ("mandatory training", "compulsory training|required training|compulsory"),
    ("export", "download"),
    ("promoting", "move up|bump up"),
    ("virtual class", "webinar|online session|zoom|teams call"),
    ("placeholders", "merge fields|variables"),
)


def in_english(question: str) -> str:
    """English words for the French admin terms the question uses ("" if none)."""
    text = f" {norm(question)} "
    out = [en for en, fr in PAIRS if en != fr and f" {fr} " in text]
    out += [
        en
        for en, fr in PAIRS
        if en != fr and en not in out and any(f" {w} " in text for w in fr.split() if len(w) > 4)
    ]
    return " ".join(dict.fromkeys(out))


def in_guide_words(question: str) -> str:
    """The guide's words for the everyday ones the question uses ("" if none)."""
    text = f" {norm(question)} "
    out = [guide for guide, said in SYNONYMS if any(f" {w} " in text for w in _phrases(said))]
    return " ".join(dict.fromkeys(out))


def _phrases(said: str) -> list[str]:
    return said.split("|")


def everyday_terms(question: str) -> frozenset[str]:
    """Stems of the everyday English phrases of the question that the synonyms put in the
    guide's words (known words, though the guide never says them)."""
    from retrieval.lexical import analyze

    text = f" {norm(question)} "
    said = [w for _, ws in SYNONYMS for w in _phrases(ws) if f" {w} " in text]
    return frozenset(analyze(" ".join(said), "en"))


@cache
def french_terms() -> frozenset[str]:
    """Stems of the French words the glossary can put in English (known words, whatever
    half of the guide answers)."""
    from retrieval.lexical import analyze

    return frozenset(t for _, fr in PAIRS for t in analyze(fr, "fr"))
