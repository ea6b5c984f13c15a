"""Rules, in French and English: explicit requests for a person, sensitive topics, and the
prompt-injection text that must neither trigger nor suppress a hand-off.

The rules aim at precision (the classifier brings recall): a sensitive keyword counts when
the learner speaks about themselves ("harasses me", "mon CDD") and not when they ask what
a course says about the topic ("What does the harassment module say about witnesses?").
"""

from __future__ import annotations

import re

from coach.handoff.signals import Subtopic

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


_PERSON = (
    r"(human|humain|(real|actual|vrai|vraie)\s+(person|personne|human|humain|trainer|formateur)|"
    r"person|personne|someone|somebody|quelqu'un|quelqu’un|trainer|formateur|formatrice|coach|"
    r"mentor|tutor|tuteur|tutrice|interlocuteur|human being)"
)
_EXPLICIT = [
    re.compile(p, _F)
    for p in (
        rf"\b(talk|speak|chat|discuss\w*)\s+(it\s+|this\s+)?(to|with)\s+(a|an|some|the|my|your|"
        rf"one|actual|real|\s)*{_PERSON}",
        rf"\b(parler|discuter|[eé]changer|voir [cç]a|en parler|poser ma question)\s+"
        rf"(directement\s+)?(avec|[aà]|au)\s+(un|une|le|la|mon|ma|de|quelqu'un|\s)*{_PERSON}",
        rf"{_PERSON}\s+(i|je)\s+(can|could|peux|pourrais)\s+(actually\s+)?(talk|speak|parler)",
        rf"\b(get|put|connect|pass|transfer)\s+me\b.{{0,30}}\b({_PERSON}|in touch)",
        r"\b(mettre|mettez|mets)[- ]moi en (relation|contact)|\bme mettre en (relation|contact)",
        r"\bpassez[- ]moi\b",
        # first person: "sounding like I'm attacking them as a person" asks for nobody
        rf"\b(i|i'd|we)\b.{{0,12}}\b(want|need|like|prefer|rather)\b.{{0,25}}\b(a|an|one)\s+"
        rf"{_PERSON}",
        rf"\b(veux|voudrais|besoin d'|pr[eé]f[eè]re|souhaite)\b.{{0,25}}\b(un|une)\s+{_PERSON}",
        r"\b(contact|reach|ring|call)\b.{0,25}\b(trainer|coach|mentor|tutor|training team)",
        r"\b(contacte[rz]?|joindre|appeler)\b.{0,25}\b(formateur|formatrice|coach|tuteur|mentor)",
        rf"{_PERSON}.{{0,30}}\b(call|ring|get back to)\s+me\b",
        rf"{_PERSON}.{{0,30}}\b(me\s+rappeler|me\s+rappelle|m'appeler)",
        r"\b(book|get|have|réserver|avoir)\b.{0,20}\b(one-to-one with (a|an|the|my) (coach|trainer|"
        r"mentor|tutor|person)|coaching session|session with a coach|séance de coaching|"
        r"rendez-vous avec un coach)",
        r"\b(rendez-vous|appointment)\s+(avec|with)\s+(un|une|a|an)\s+(coach|formateur|trainer)",
        r"\bi don'?t want to (chat|talk) (to|with) a (bot|machine|robot)",
        r"\bje ne veux pas parler [aà] une? (ia|robot|machine)",
        r"\b(accompagn[ée]e?s?|suivi)\s+par\s+un\s+(coach|formateur|tuteur)",
        r"\bwho (can|could|should) i (speak|talk) to\b|\b[aà] qui (je peux|puis-je|dois-je) parler",
        rf"\b(is there|are there|y a-t-il|il y a)\s+(a|an|une?|some)?\s*{_PERSON}.{{0,40}}"
        r"\b(talk|speak|discuss|contact|parler|discuter|pour (mon|ma|mes))",
        rf"\bdiscuss\w*\b.{{0,30}}\bwith (a|an|some|the)?\s*{_PERSON}",
        r"\b(ask|demander [aà]|poser (ma|la) question [aà])\s+(my|a|an|the|mon|ma|un|une|le|la)\s+"
        r"(mentor|tutor|tuteur|tutrice|trainer|formateur|formatrice|coach)",
        r"\b(mentor|tuteur|tutrice|coach|formateur|formatrice)\s+(est\s+)?disponible",
        r"\binterlocuteur humain|\bde vive voix|\b(real|actual) (trainer|coach|person) on the line",
        r"\bune personne avec qui\b",
    )
]


def is_explicit_request(text: str) -> bool:
    """Whether the learner asks for a person (trainer, coach, mentor, a human)."""
    return any(p.search(text) for p in _EXPLICIT)


# Asking what a course says about a topic is studying it, not living it.
_STUDY = re.compile(
    r"\b(what does|what do|que dit|que disent|selon (le|la)|according to|quiz question|"
    r"(in|dans) (the|le|la|l') ?[\w-]*\s*(module|course|e-learning|training|cours|formation|"
    r"policy|politique)|(module|course|cours|e-learning|chapter|lesson|training)\b.{0,40}"
    r"\b(say|says|explain\w*|define\w*|dit|d[ée]finit|explique|recommend\w*|list\w*|cit[ée]s?)|"
    r"how (are|is|does) .{0,40}\b(module|course)|explain|explique|d[ée]finition|"
    r"r[ée]sume|summari[sz]e|case study|[ée]tude de cas|role play|jeu de r[oô]le)\b",
    _F,
)
_ME = re.compile(
    r"\b(i|i'm|i am|i've|me|my|myself|je|j'|j’|me|m'|m’|moi|mon|ma|mes|suis)\b|\bj'|\bm'", _F
)

_SENSITIVE: list[tuple[Subtopic, re.Pattern[str], bool]] = [
    # (subtopic, pattern, strong): a strong pattern names the learner itself and wins
    # even in a study-like sentence; a weak one needs "I/my" and no study framing.
    (
        "health",
        re.compile(
            r"\b(hurt(ing)? myself|kill(ing)? myself|end(ing)? (it|my life)|suicid\w*|"
            r"self[- ]harm|point of living|dark thoughts|me faire du mal|me tuer|id[ée]es noires|"
            r"envie de mourir|int[ée]r[eê]t de vivre|en finir)\b",
            _F,
        ),
        True,
    ),
    (
        "harassment",
        re.compile(
            r"\b(harass\w* me|harassing me|i'?m (being )?harass\w*|i am (being )?harass\w*|"
            r"bull(y|ies|ied|ying) me|i'?m being bullied|me harc[eè]l\w*|harc[eè]l[ée]e?\b|"
            r"subis du harc[eè]lement|touch(ed|es|ing) me|humiliat\w* me|m'humilie\w*|"
            r"followed me|me suit|sexual (comments|remarks|messages)|inappropriate (messages|"
            r"comments|remarks)|remarques d[ée]plac[ée]es|caract[eè]re sexuel|behaved "
            r"inappropriately|(remarks|comments) about my (body|looks|appearance)|"
            r"remarques sur mon physique)",
            _F,
        ),
        True,
    ),
    (
        "discrimination",
        re.compile(
            r"\b(because (i'?m|i am) (a )?(woman|man|black|muslim|jewish|gay|old|disabled)|"
            r"parce que je suis (une femme|un homme|noir|noire|musulman\w*|juif|juive|homo\w*)|"
            r"too old|trop (vieux|vieille|[aâ]g[ée]e?)|my origin|mes origines|racis\w+|"
            r"my accent|mon accent|(mock|moquent?)\w* .{0,10}accent|discriminat\w*|discrimin[ée]e?|"
            r"since i (told|announced).{0,20}pregnan\w*|annonc[ée] ma grossesse|"
            r"(my|mon|ma) (disability|handicap)|accommodation for my)\b",
            _F,
        ),
        False,
    ),
    (
        "health",
        re.compile(
            r"\b(injur\w*|diagnos\w*|depress\w*|anxiety|anxi[ée]t[ée]|sick leave|arr[eê]t maladie|"
            r"medication|m[ée]dicament|traitement|my doctor|mon m[ée]decin|hernie|blessure|"
            r"bless[ée]e?|pregnan\w*|enceinte|surgery|op[ée]ration|chronic|chronique|"
            r"not to lift|porter des charges)\b",
            _F,
        ),
        False,
    ),
    (
        "pay_or_contract",
        re.compile(
            r"\b(raise|pay rise|salary|salaire|bonus|prime|augmentation|paid for|pay\b|pay me|"
            r"pay(é|e)es?|contract|contrat|fixed-term|cdd|cdi|renew\w*|renouvel\w*|repay|"
            r"reimburse|rembourser|training fees|frais de formation|d[ée]dit|resign|d[ée]missionne|"
            r"if i (quit|leave)|si je (pars|quitte))\b",
            _F,
        ),
        False,
    ),
    (
        "conflict_with_manager",
        re.compile(
            r"\b(my|mon|ma) (line )?(manager|boss|supervisor|chef|responsable|n\+1|manageur)\b.{0,80}"
            r"\b(conflict|argument|dispute|refus\w*|block\w*|bloque\w*|won'?t let|threat\w*|menace\w*|"
            r"against me|contre moi|unbearable|insupportable|emp[eê]che\w*|annual review|"
            r"entretien annuel|bad review|mauvaise [ée]valuation)|"
            r"\b(conflict|conflit|dispute|argument)\s+(with|avec)\s+(my|mon|ma)\s+(manager|boss|chef|"
            r"responsable|manageur)|\bcan'?t work with my (manager|boss)|"
            r"\b(change teams|changer d'[ée]quipe) because of (my|mon) (manager|boss|chef)|"
            r"\bwith my (line )?(manager|boss) (are|is) (unbearable|awful|terrible)|"
            r"(se passe|[cç]a va) (tr[eè]s )?mal avec (mon|ma) (chef|manager|responsable)",
            _F,
        ),
        True,
    ),
]


def sensitive_topic(text: str) -> Subtopic | None:
    """The sensitive topic the learner raises about themselves, if any (rules only)."""
    study = _STUDY.search(text) is not None
    personal = _ME.search(text) is not None
    for subtopic, pattern, strong in _SENSITIVE:
        if pattern.search(text) and (strong or (personal and not study)):
            return subtopic
    return None


_DISTRESS = re.compile(
    r"\b(overwhelm\w*|drowning|too much for me|trop pour moi|can'?t keep up|n'arrive plus [aà] "
    r"suivre|give up|giving up|quit this course|abandonner|laisser tomber|stress\w* (me )?out|"
    r"so stressed|tellement stress[ée]e?|angoiss\w*|boule au ventre|can'?t sleep|lie awake|"
    r"n'en dors|ne dors plus|not smart enough|too stupid|trop nul(le)?|i'?m useless|je suis nul(le)?|pas assez intelligente?|"
    r"discouraged|d[ée]courag[ée]e?|feeling (pretty |so |really )?down|moral [aà] z[ée]ro|"
    r"demotivated|d[ée]motiv[ée]e?|exhausted|[ée]puis[ée]e?|burnt out|burned out|[aà] bout|"
    r"vid[ée]e?|scared|afraid|terrified|j'ai peur|me terrifie|cried|in tears|pleur[ée]|"
    r"feel (so )?lost|me sens perdue?|un [ée]tat pas possible|fed up|j'en ai marre|ras-le-bol|tired of (trying|feeling)|"
    r"fatigu[ée]e? de|what'?s the point|[aà] quoi bon|gets to me|me touche|d[ée]border?\w*|"
    r"d[ée]bord[ée]e?|anxious|je coule|running on empty)(?!\w)",
    _F,
)
_FAILURE = re.compile(
    r"\b(still (don'?t|do not|can'?t|cannot|not|stuck|lost|wrong)|toujours pas|toujours "
    r"(perdue?|coinc[ée]e?|bloqu[ée]e?|aussi mauvais\w*|rien)|bloque encore|again and again|encore et "
    r"encore|over and over|keep (failing|getting it wrong|making the same|getting the same)|"
    r"same (mistake|score|question)|m[eê]me (erreur|note|question)|(hints?|indices?)\b.{0,30}"
    r"\b(didn'?t|don'?t|not|pas|ne m'aident)|even with the hints|malgr[ée]|no matter|peu importe|"
    r"j'ai beau|however many|nothing clicks|hasn'?t clicked|rien ne rentre|redid|refait|retook|"
    r"repass[ée]|r[ée]essay[ée]|tried again|(\w+) attempt\b.{0,30}\bfail|tentative.{0,30}"
    r"[ée]chec|failed .{0,20}(times|again)|rat[ée] .{0,20}fois|[ée]choue toujours|je me trompe "
    r"[aà] chaque fois|encore (un|une) [ée]chec|encore \d)",
    _F,
)


def emotional_signal(text: str) -> str | None:
    """``distress`` or ``repeated_failure`` when the learner says so plainly (rules only)."""
    if _STUDY.search(text) is None and _DISTRESS.search(text):
        return "distress"
    if _FAILURE.search(text):
        return "repeated_failure"
    return None
