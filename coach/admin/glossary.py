"""English words of LMS administration for French ones, for searching the admin guide
across languages: the English guide covers more topics than the French one, so a French
question about "émargement" also searches for "attendance sign-off". Normalised (lower
case, no accents)."""

from __future__ import annotations

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
