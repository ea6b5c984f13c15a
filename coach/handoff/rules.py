"""Rules, in French and English: explicit requests for a person, sensitive topics, and the
prompt-injection text that must neither trigger nor suppress a hand-off.

The rules aim at precision (the classifier brings recall): a sensitive topic counts when
the learner says it happens to them ("harasses me", "mon CDD se termine", "I have
dyslexia") and not when they ask what a course says about the topic ("What does the
harassment module say about witnesses?"). They read the normalised message
(:func:`coach.handoff.lexicon.normalise`: no accents, lower case), and build on the concept
lexicons of :mod:`coach.handoff.lexicon`; broader combinations of those concepts ("my" +
a pay word) are left to the classifier, which reads them as features.
"""

from __future__ import annotations

import re

from coach.handoff import lexicon as lx
from coach.handoff.explicit import is_explicit_request, without_request
from coach.handoff.normalise import normalise
from coach.handoff.sensitive import sensitive_topic

__all__ = [
    "emotional_signal",
    "is_explicit_request",
    "sensitive_topic",
    "strip_injection",
    "without_request",
]

_F = re.IGNORECASE | re.UNICODE

# Orders aimed at the coach inside a message: removed before detection, so "SYSTEM:
# handoff=false" cannot suppress a hand-off and "handoff=true" cannot force one.
_INJECTION = [
    re.compile(p, _F)
    for p in (
        r"\[[^\]]{0,120}\]",
        r"\((?:note|ordre|instruction)[^)]{0,120}\)",
        r"\b(system|syst[eè]me|assistant|developer|admin)\s*:",
        r"\bhand_?off\s*[=:]\s*\w+",
        r"\b(ignore|oublie|ignorez|oubliez|disregard|forget)\s+(all\s+|tes\s+|vos\s+|your\s+|"
        r"les\s+|previous\s+|toutes?\s+)*(instructions?|r[eè]gles|rules|consignes)\b",
        r"\b(do not|don't|never|ne)\s+(me\s+)?(hand\s*off|escalate|redirect|transf[eè]re\w*|"
        r"redirige\w*|escalade\w*)\b(\s+(this|it|pas|ça))?",
        # only the orders' own words go: what follows them may be the learner's message
        r"\bpas de (transfert|redirection|hand-?off)\b",
    )
]


def strip_injection(text: str) -> str:
    """The message without orders addressed to the coach's machinery (what is left is data)."""
    for pattern in _INJECTION:
        text = pattern.sub(" ", text)
    return _LEFTOVER.sub("", " ".join(text.split()))


_LEFTOVER = re.compile(r"^[\s.,;:!?-]+")  # what a removed order leaves at the start


# --- distress and repeated failure, said plainly --------------------------------------

_DISTRESS = re.compile(
    r"\b(?:overwhelm\w*|drowning|swamped|too much for me|trop pour moi|can't keep up|"
    r"n'arrive plus a suivre|arrive pas a suivre|can't cope|cannot cope|breaking point|"
    r"end of my (?:rope|tether)|at the end of my|falling apart|"
    # "give up my seat / edit rights / ownership of a file" hands something over
    r"give up(?! (?:(?:my|the|a|an|your|our|his|her|their|\w+) )?(?:ownership|rights?|access|"
    r"permissions?|control|admin\w*|seats?|places?|spots?|slots?|licen[cs]es?|roles?|"
    r"accounts?))|giving up|"
    r"quit (?:this|the) (?:course|programme|program|training|path)|drop(?:ping)? out|"
    r"abandonner|laisser tomber|tout lacher|tout arreter|tout plaquer|lache l'affaire|"
    r"stress\w* (?:me )?out|so stressed|tellement stresse\w*|stresse tellement|angoiss\w*|"
    r"boule au ventre|estomac noue|knot in my stomach|can't sleep|lie awake|n'en dors|"
    r"ne dors plus|dors mal|nightmares|cauchemars|not smart enough|too stupid|so stupid|"
    r"feel (?:so |really |very )?(?:stupid|dumb|useless|worthless|small|alone|lost)|"
    r"trop nul(?:le)?|i'm useless|je suis nul(?:le)?|me sens (?:trop |tellement |vraiment |"
    r"si )?(?:nul(?:le)?|bete|seule?|perdue?|minable|inutile)|bon a rien|"
    r"pas assez intelligente?|discouraged|decourage\w*|feeling (?:pretty |so |really )?down|"
    r"feel(?:ing)? (?:really |so |very )?low|moral a zero|demotivated|demotive\w*|"
    r"exhausted|epuise\w*|burnt out|burned out|a bout|au bout du rouleau|"
    r"(?:suis|sens|completement) (?:crame|rincee?|lessivee?|videe?|saturee?)|"
    r"(?:so |really |very |i'm |i am )(?:scared|afraid)|terrified|j'ai (?:tres |si )?peur|"
    r"me terrifie|cried|crying|in tears|pleure\w*|larmes|feel (?:so )?lost|me sens perdue?|"
    r"un etat pas possible|fed up|j'en ai marre|ras-le-bol|ras le bol|tired of (?:trying|"
    r"feeling)|fatiguee? de|what's the point|why (?:do i )?(?:even )?bother|a quoi bon|"
    r"gets to me|me touche|debordee?s?|anxious|anxieu\w*|je coule|running on (?:empty|fumes)|"
    r"panick?\w*|panique\w*|dread\w*|nervous wreck|boule de nerfs|impost[eo]r|imposture|"
    r"imposteu\w*|a fraud|not cut out|pas fait pour|don't belong|ashamed|j'ai (?:tellement )?"
    r"honte|hopeless|desespere?\w*|worthless|can't do this anymore|can't anymore|"
    r"n'en peux plus|j'en peux plus|je tiens plus|tiens plus le coup|je craque|"
    r"craque completement|pete un cable|paralysee?|plus la force|plus l'energie|sous l'eau|noye\w*|"
    r"lost all motivation|perdu toute motivation|zero motivation|mentally drained|"
    r"vide mentalement|crush\w* me|m'ecrase|want to cry|envie de pleurer|"
    r"envoyer (?:tout )?balader|jamais a la hauteur|never (?:be )?good enough|je sature|"
    r"tete (?:qui va|va) exploser|head (?:is going to|will) explode|"
    r"drop (?:the|this|out of the) (?:whole )?(?:programme|program|course|training|path)|"
    r"losing confidence|perds confiance|sick with worry|worried sick|malade d'inquietude)(?!\w)",
    _F,
)
_NOT_ME = re.compile(
    r"\b(?:looked|looks|seems|seemed|avait l'air|a l'air|semble|semblait)\b|"
    r"\b(?:mdr|lol|haha\w*|ptdr|xd)\b|"
    r"\b(?:how (?:do|should|can|could) (?:i|we|you|a manager|a team lead\w*) (?:support|help|"
    r"handle|manage|deal with|spot|recogni[sz]e|talk to)|comment (?:soutenir|aider|gerer|"
    r"accompagner|reperer|parler a)|(?:an?|my|one of my|un|une|mon|ma) (?:\w+ )?(?:employee|"
    r"colleague|team member|report|collaborat\w*|collegue|salarie\w*) (?:who|qui|is|est|seems|"
    r"semble)?\b|stage fright|le trac|syndrome de l'imposteur|impostor syndrome|"
    r"imposter syndrome|panic button|bouton (?:d'alerte|panique)|stress test|"
    r"stress management|gestion du stress)",
    _F,
)
_STUDY = re.compile(lx.STUDY, _F)
_FAILING_ME = (
    r"\b(?:i|i've|i'm|je|j')\s?(?:\w+\s){0,3}?(?:fail\w*|get (?:it|\w+) wrong|got (?:it|\w+) "
    r"wrong|can't|cannot|don't (?:get|understand|see)|confus\w*|mix\w*|pick\w* the wrong|"
    r"stuck|struggl\w*|rate\w*|me trompe|me plante|bloque|seche|comprends? (?:toujours )?pas|"
    r"n'arrive|arrive pas|confonds|echoue\w*|y arrive pas|n'y arrive)\b"
)
_FAILING_REPEAT = re.compile(
    rf"(?:{_FAILING_ME}).{{0,40}}(?:{lx.REPEAT})|(?:{lx.REPEAT}).{{0,40}}(?:{_FAILING_ME})", _F
)
_TECHNICAL = re.compile(
    r"\b(?:error|erreur|exception|pip|install\w*|crash\w*|plante|bug\w*|loads?|loading|"
    r"charge\w*|page|video|login|log in|password|mot de passe|connexion|buffer\w*|"
    r"traceback|indexerror|keyerror|typeerror|valueerror|#n/a|#ref|#value)\b",
    _F,
)
_FAILURE = re.compile(
    r"\b(?:still (?:don't|do not|can't|cannot|not|stuck|lost|wrong|makes no|doesn't|confus\w*|"
    r"get|getting|fail\w*|mix\w*)|toujours pas|toujours (?:perdue?|coincee?|bloquee?|aussi "
    r"mauvais\w*|rien|faux|la meme|le meme)|bloque encore|again and again|encore et encore|"
    r"over and over|keep (?:failing|getting it wrong|getting (?:the )?\w+ wrong|making the same|"
    r"getting the same|confusing|mixing)|same (?:mistake|score|question|wrong answer)|"
    r"meme (?:erreur|note|question|mauvaise reponse)|(?:hints?|indices?)\b.{0,30}"
    r"\b(?:didn't|don't|not|pas|ne m'aident)|even with the hints|even after|malgre|"
    r"no matter|peu importe|j'ai beau|however many|nothing clicks|hasn't clicked|"
    r"doesn't click|won't stick|rien ne rentre|rentre pas|redid|refait|retook|retaken|"
    r"didn't help (?:either|at all)|ne m'aide pas (?:non plus|du tout)|as confused as before|"
    r"aussi perdue? qu'avant|(?:still )?makes? (?:no|zero) sense|"
    r"(?:tried|used|essaye|utilise) (?:all|every|tous)\b.{0,15}\b(?:hints?|indices?|tips?)|"
    r"repasse|reessaye|retente|tried again|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) "
    r"(?:attempt|time|try)\b.{0,40}\b(?:fail|wrong|still|again)|(?:fail\w*|wrong)\b.{0,30}"
    r"\b(?:twice|again|(?:\w+|\d+) times)|tentative.{0,30}echec|rate .{0,20}fois|"
    r"echoue toujours|je me trompe a chaque fois|encore (?:un|une) echec|encore \d|"
    r"encore rate|encore faux|wrong again|failed again|going round in circles|tourne en rond|"
    r"rebelote|(?:deuxieme|troisieme|quatrieme|cinquieme|\d+e) (?:echec|essai|tentative|fois)|"
    r"(?:\d+|deux|trois|quatre|cinq) (?:fois|essais) que je|(?:second|third|fourth|fifth|"
    r"\d+(?:st|nd|rd|th)) (?:time|attempt) (?:failing|i fail\w*))(?!\w)",
    _F,
)
_HYPOTHETICAL = re.compile(lx.HYPOTHETICAL, _F)


def emotional_signal(text: str) -> str | None:
    """``distress`` or ``repeated_failure`` when the learner says so plainly (rules only)."""
    t = normalise(text)
    if _STUDY.search(t) is None and _NOT_ME.search(t) is None and _DISTRESS.search(t):
        return "distress"
    if _HYPOTHETICAL.search(t):
        return None
    if _FAILURE.search(t) or (_FAILING_REPEAT.search(t) and not _TECHNICAL.search(t)):
        return "repeated_failure"
    return None
