"""Word lists behind the checks, English and French.

Filler and hedging phrases are matched as regular expressions on lowercased text with
straight apostrophes. They describe the boilerplate of machine-written prose in general
("it is important to note", "in today's fast-paced world") and hedges that commit to
nothing ("it depends on many factors"); they were written from common lists of such
phrases, not from the benchmark's own templates (``evals.slop``), which use more.
"""

from __future__ import annotations

import re
from functools import lru_cache

FILLER: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bit is (?:important|worth|crucial|essential) (?:to note|noting|to remember|to understand|to keep in mind)",
        r"\bit'?s (?:important|worth|crucial|essential) (?:to note|noting|to remember|to understand|to keep in mind)",
        r"\bin today'?s (?:fast-paced|ever-changing|modern|digital|rapidly|competitive)",
        r"\bever-(?:evolving|changing|growing)\b",
        r"\b(?:plays?|playing) an? (?:crucial|vital|key|pivotal|important|essential|significant) role",
        r"\bin conclusion\b|\bto sum up\b|\bin summary\b|\ball in all\b|\bat the end of the day\b",
        r"\bdelv(?:e|ing) (?:deeper )?into\b|\bdive (?:deeper |deep )?into\b",
        r"\b(?:a|the) (?:wide|broad|vast) (?:range|array|variety) of\b",
        r"\bwhen it comes to\b",
        r"\bunlock(?:ing)? (?:the|your) (?:full )?potential\b",
        r"\b(?:landscape|realm|tapestry|journey|game[- ]changer|cornerstone)\b",
        r"\b(?:key|main) takeaways?\b",
        r"\bbest practices\b",
        r"\b(?:seamless(?:ly)?|robust|cutting-edge|leverag(?:e|ing)|empower(?:s|ing)?|holistic)\b",
        r"\bnavigat(?:e|ing) the (?:complexities|world|challenges)\b",
        r"\bthe (?:importance|significance) of\b",
        r"\b(?:fundamental|essential|crucial|vital) (?:concept|skill|aspect|part|component)s?\b",
        r"\b(?:great|good) question\b|\bi hope this helps\b|\bhappy (?:learning|coding)\b",
        r"\bas (?:we|you) (?:can see|all know)\b|\bneedless to say\b",
        r"\bin (?:many|various|different) (?:ways|contexts|fields|areas|situations)\b",
        r"\b(?:by|through) (?:understanding|mastering) (?:this|these|the)\b",
        r"\bcan help you\b|\bwill help you\b|\benhance your\b|\bimprove your\b",
    ),
    "fr": (
        r"\bil est (?:important|essentiel|crucial|primordial) de (?:noter|souligner|comprendre|retenir)",
        r"\bdans le monde (?:actuel|d'aujourd'hui|moderne)\b|\bde nos jours\b",
        r"\ben constante évolution\b|\ben perpétuelle évolution\b",
        r"\bjou(?:e|ent) un rôle (?:crucial|essentiel|clé|important|majeur|central)",
        r"\ben conclusion\b|\ben résumé\b|\ben somme\b|\bpour résumer\b|\bau final\b",
        r"\bplonge(?:r|ons)? (?:au cœur|dans)\b",
        r"\bun large éventail de\b|\bune grande variété de\b|\bune multitude de\b",
        r"\blorsqu'il s'agit de\b|\bquand il s'agit de\b",
        r"\b(?:libérer|exploiter) (?:tout )?(?:le|votre) potentiel\b",
        r"\bbonnes pratiques\b|\bpoints? clés?\b",
        r"\bl'importance de\b|\bnotion (?:fondamentale|essentielle)\b",
        r"\bbonne question\b|\bj'espère que cela (?:vous )?aide\b",
        r"\bcomme (?:nous le savons|on le sait)\b|\bil va sans dire\b",
        r"\bvous aider à\b|\bpermet(?:tra)? d'améliorer\b|\bamélior(?:er|ez) votre\b",
    ),
}

HEDGES: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bit (?:really |all )?depends\b|\bdepends? (?:largely |heavily |entirely )?on (?:many|several|various|a number of|the (?:specific|particular|context|situation))",
        r"\b(?:many|several|various|numerous|a number of|different) factors\b",
        r"\bin (?:some|certain|many|most) cases\b|\bin some situations\b",
        r"\b(?:hard|difficult|impossible) to (?:say|tell|give|know|answer)\b",
        r"\bwithout (?:more|further|additional) (?:context|information|details)\b",
        r"\bgenerally speaking\b|\bto some (?:extent|degree)\b|\bmore or less\b",
        r"\b(?:can|may|might|could|will|tends? to) (?:vary|differ)\b|\bvaries\b",
        r"\bno (?:single|one|definitive|simple|clear)[- ](?:answer|size)",
        r"\bone-size-fits-all\b|\bpros and cons\b|\btrade-?offs?\b",
        r"\byou (?:may|might) (?:want|wish|need) to\b|\b(?:consider|try) (?:consulting|checking|asking)\b",
        r"\b(?:there are|there're) (?:many|several|various|different|multiple) (?:ways|approaches|opinions|views|perspectives|options)\b",
        r"\b(?:some|others) (?:people|experts|would) (?:argue|say|suggest|believe)\b",
        r"\b(?:perhaps|possibly|arguably|presumably)\b",
        r"\bnot (?:always|necessarily)\b|\bin a (?:way|sense)\b",
    ),
    "fr": (
        r"\bcela dépend\b|\btout dépend\b|\bdépend(?:ent)? de (?:nombreux|plusieurs|divers|différents|la situation|du contexte)",
        r"\b(?:nombreux|plusieurs|divers|différents) facteurs\b",
        r"\bdans (?:certains|la plupart des|de nombreux) cas\b",
        r"\b(?:difficile|impossible) de (?:dire|savoir|répondre|trancher)\b",
        r"\bsans (?:plus de|davantage de) (?:contexte|détails|précisions|informations)\b",
        r"\bd'une manière générale\b|\ben quelque sorte\b|\bplus ou moins\b|\bdans une certaine mesure\b",
        r"\bpeu(?:t|vent) varier\b|\bvarie(?:nt)? selon\b",
        r"\bpas de réponse (?:unique|simple|définitive)\b|\bavantages et (?:des )?inconvénients\b",
        r"\bil (?:peut|pourrait) être (?:utile|judicieux) de\b",
        r"\bil existe (?:plusieurs|de nombreuses|différentes) (?:façons|manières|approches)\b",
        r"\bpeut-être\b|\bsans doute\b|\bpas (?:toujours|nécessairement)\b",
    ),
}

NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "not no never none nothing cannot can't don't doesn't isn't aren't won't wasn't "
        "weren't shouldn't couldn't wouldn't didn't hasn't haven't neither nor without".split()
    ),
    "fr": frozenset("ne n pas jamais aucun aucune rien ni sans plus non".split()),
}

# Word pairs whose swap reverses a statement (both directions are added below).
_ANTONYM_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": tuple(
        tuple(p.split("/"))  # type: ignore[misc]
        for p in (
            "true/false increase/decrease increases/decreases increased/decreased higher/lower "
            "more/less more/fewer larger/smaller greater/smaller before/after first/last "
            "always/never all/none mutable/immutable left/right positive/negative rise/fall "
            "rises/falls add/remove adds/removes start/end beginning/end inside/outside "
            "maximum/minimum max/min above/below gain/loss profit/loss asset/liability "
            "assets/liabilities debit/credit buy/sell buyer/seller long/short upper/lower "
            "input/output local/global public/private valid/invalid correct/incorrect "
            "include/exclude includes/excludes inclusive/exclusive can/cannot must/may "
            "faster/slower early/late earlier/later open/close same/different "
            "equal/unequal odd/even ascending/descending explicit/implicit"
        ).split()
    ),
    "fr": tuple(
        tuple(p.split("/"))  # type: ignore[misc]
        for p in (
            "vrai/faux hausse/baisse augmente/diminue augmentation/diminution plus/moins "
            "supérieur/inférieur supérieure/inférieure avant/après premier/dernier "
            "première/dernière toujours/jamais tous/aucun mutable/immuable gauche/droite "
            "positif/négatif positive/négative début/fin maximum/minimum gain/perte "
            "actif/passif débit/crédit achat/vente acheteur/vendeur entrée/sortie "
            "local/global public/privé valide/invalide correct/incorrect même/différent"
        ).split()
    ),
}
ANTONYMS: dict[str, frozenset[tuple[str, str]]] = {
    lang: frozenset(p for a, b in pairs for p in ((a, b), (b, a)))
    for lang, pairs in _ANTONYM_PAIRS.items()
}

# Invented sources: author-year references, "according to <name>" and the like.
FABRICATED_SOURCE = re.compile(
    r"\([A-Z][\w'-]+(?: et al\.?| and [A-Z][\w'-]+)?,? (?:19|20)\d\d[a-z]?\)"
    r"|\b(?i:according to|as (?:stated|reported|shown) (?:in|by)|selon|d'après)\s+"
    r"(?i:the |a |an |le |la |les |l')?(?P<source>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)"
)


@lru_cache(maxsize=8)
def patterns(kind: str, language: str) -> re.Pattern[str]:
    """One compiled alternation of a phrase list (``filler`` or ``hedges``) for a language."""
    table = FILLER if kind == "filler" else HEDGES
    return re.compile("|".join(f"(?:{p})" for p in table.get(language, table["en"])))


def normalise(text: str) -> str:
    """Lowercase with straight apostrophes (what the phrase patterns expect)."""
    return text.lower().replace("’", "'").replace("‘", "'")
