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


@cache
def french_terms() -> frozenset[str]:
    """Stems of the French words the glossary can put in English (known words, whatever
    half of the guide answers)."""
    from retrieval.lexical import analyze

    return frozenset(t for _, fr in PAIRS for t in analyze(fr, "fr"))
