"""Explicit requests for a person, French and English (rules on the normalised message).

"Can I talk to a real person?", "mets-moi en relation avec un formateur", "human pls",
"Could someone from L&D call me back?": a request names a person (a trainer, a coach, a
human, the training team) and a way to reach them, from the learner's side. Asking *about*
a person ("Who runs the Python clinic?", "when is the next live session with the
trainer?") or a customer asking for a manager in a role play is not one.
"""

from __future__ import annotations

import re

from coach.handoff.lexicon import REQUEST
from coach.handoff.normalise import normalise

_F = re.IGNORECASE | re.UNICODE


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _F)


_PERSON = (
    r"(?:human(?: being| agent| coach| trainer)?|humain|(?:real|actual|vrai|vraie) "
    r"(?:person|personne|human|humain|trainer|formateur|formatrice|coach|expert)|person|"
    r"personne|someone|somebody|anyone|anybody|quelqu'un|trainer|formateur|formatrice|"
    r"coach|mentor|tutor|tuteur|tutrice|instructor|instructeur|facilitator|animat(?:eur|rice)|"
    r"(?:learning |training |human )?advis[eo]r|conseill(?:er|ere)|expert|referent\w*|"
    r"interlocuteur|human being|etre humain|parrain|marraine|hr|rh|human resources|"
    r"ressources humaines|l&d|the people team)"
)
_TEAM = (
    r"(?:l&d|hr|rh|people team|training team|learning team|training department|academy|"
    r"talent team|equipe (?:formation|pedagogique|talents?)|service formation|academie|"
    r"(?:la |de la )?formation)"
)
_EXPLICIT = _any(
    rf"\b(?:talk|speak|chat|discuss\w*|go over|go through|talk (?:it|this) (?:through|over))\s+"
    rf"(?:it\s+|this\s+|things\s+|that\s+)?(?:to|with)\s+(?:a|an|some|the|my|your|one|actual|real|"
    rf"\s)*{_PERSON}",
    rf"\b(?:parler|discuter|echanger|voir [cs]a|en parler|en discuter|poser ma question|"
    rf"voir)\s+(?:directement\s+|en direct\s+|de vive voix\s+)?(?:avec|a|au)\s+"
    rf"(?:un|une|le|la|mon|ma|de|quelqu'un|\s)*{_PERSON}",
    rf"{_PERSON}\s+(?:i|je)\s+(?:can|could|peux|pourrais)\s+(?:actually\s+)?(?:talk|speak|"
    rf"parler|call|ask|email|discuss|en discuter|discuter)",
    rf"\b(?:get|put|connect|pass|transfer|send)\s+me\b.{{0,30}}\b(?:{_PERSON}|in touch)",
    r"\b(?:mettre|mettez|mets|met)[- ]moi en (?:relation|contact)|"
    r"\bme mettre en (?:relation|contact)",
    r"\bpassez[- ]moi\b",
    # first person: "sounding like I'm attacking them as a person" asks for nobody
    rf"\b(?:i|i'd|we)\b.{{0,12}}\b(?:want|need|like|prefer|rather)\b.{{0,25}}\b(?:a|an|one|"
    rf"some)\s+{_PERSON}",
    rf"\b(?:veux|voudrais|besoin d'|besoin de|prefere|souhaite|faut)\b.{{0,25}}"
    rf"\b(?:un|une|quelqu'un|qq)\s*{_PERSON}?",
    r"\b(?:contact|reach|ring|call|email|meet|see)\b.{0,25}\b(?:trainer|coach|mentor|tutor|"
    r"training team|instructor|facilitator|advisor)",
    r"\b(?:contacte[rz]?|joindre|appeler|rencontrer|ecrire a)\b.{0,25}\b(?:formateur|"
    r"formatrice|coach|tuteur|tutrice|mentor|animat(?:eur|rice)|referent)",
    rf"{_PERSON}.{{0,40}}\b(?:call|ring|get back to|contact|email|phone)\s+me\b",
    rf"(?:{_PERSON}|{_TEAM}).{{0,40}}\b(?:me\s+rappel(?:er|le)(?!\s+(?:de|d'|que|qu'))|m'appeler|me contacter|"
    rf"m'ecrire|me recontacter|revenir vers moi)",
    rf"\b(?:someone|somebody|anyone|a person|quelqu'un)\s+(?:from|in|at|of|de|du|des|au)\s+"
    rf"(?:the\s+)?{_TEAM}.{{0,30}}\b(?:call|ring|contact|email|phone|get in touch|reach|"
    rf"appeler|rappeler|contacter|ecrire|joindre)",
    r"\b(?:call|calls|phone call|appel)\b.{0,20}\b(?:from|de)\s+(?:someone|somebody|"
    r"quelqu'un)",
    rf"\b(?:book|get|have|set up|arrange|organi[sz]e|schedule|reserver|avoir|prendre|"
    rf"organiser)\b.{{0,25}}\b(?:call|meeting|appointment|session|1:1|one-to-one|one-on-one|"
    rf"video call|teams call|visio|rendez-vous|entretien|seance|tete a tete|office hours|"
    rf"face to face)\b.{{0,40}}\b(?:with|avec)\b.{{0,25}}{_PERSON}",
    r"\b(?:one-to-one|one-on-one|1:1|1-1|tete a tete|entretien individuel|face a face|"
    r"face to face)\b.{0,20}\b(?:with|avec)\s+(?:a|an|the|my|un|une|le|la|l'|mon|ma)\s*"
    r"(?:coach|trainer|mentor|tutor|instructor|facilitator|formateur|formatrice|tuteur|"
    r"tutrice|animat\w+|instructeur)",
    r"\b(?:rendez-vous|appointment|session|seance)\s+(?:avec|with)\s+(?:un|une|a|an|my|mon|"
    r"ma)\s+(?:coach|formateur|formatrice|trainer|mentor|tuteur|tutrice|tutor|expert)",
    r"\bi don't want to (?:chat|talk) (?:to|with) a (?:bot|machine|robot|chatbot|ai)",
    r"\b(?:not|pas) (?:a|an|un|une|with a|a un|avec un|avec une) ?(?:bot|chatbot|machine|"
    r"robot|ia|ai)\b",
    r"\bje ne veux pas parler a une? (?:ia|robot|machine)",
    r"\b(?:accompagne\w*|suivi)\s+par\s+un\s+(?:coach|formateur|tuteur)",
    r"\bwho (?:can|could|should|do) i (?:speak|talk|call|contact|email)\b|"
    r"\ba qui (?:je peux|puis-je|dois-je|je pourrais) (?:parler|m'adresser|ecrire)|"
    r"\bqui (?:je peux|puis-je) (?:appeler|contacter)",
    rf"\b(?:is there|are there|y a-t-il|il y a|y'a)\s+(?:a|an|une?|some|any)?\s*"
    rf"(?:{_PERSON}|human contact|real people)\b.{{0,40}}\b(?:talk|speak|discuss|contact|ask|"
    rf"call|email|parler|discuter|en discuter|contacter|appeler|for (?:me|my)|pour (?:mon|ma|"
    rf"mes|moi)|behind)",
    rf"\bdiscuss\w*\b.{{0,30}}\bwith (?:a|an|some|the|my)?\s*{_PERSON}",
    r"\b(?:ask|demander a|poser (?:ma|la) question a)\s+(?:my|a|an|the|mon|ma|un|une|le|la)\s+"
    r"(?:mentor|tutor|tuteur|tutrice|trainer|formateur|formatrice|coach|expert|human)",
    r"\b(?:mentor|tuteur|tutrice|coach|formateur|formatrice|tutor|trainer)\s+"
    r"(?:est\s+|is\s+)?(?:disponible|available)\b.{0,30}\b(?:pour moi|for me|i'd like|"
    r"j'aimerais|voir|see|meet)",
    r"\b(?:real|actual|vraies?|vrais) (?:people|humans|personnes|humains|gens)\b|"
    r"\binterlocuteur humain|\bde vive voix|\b(?:real|actual) (?:trainer|coach|person) on "
    r"the line",
    r"\bune personne avec qui\b",
    rf"\b(?:transfer|escalate|forward|pass|send|hand)\w*\s+(?:me|this|it|my (?:question|"
    rf"request|case|message)|this (?:conversation|chat|question))\s+(?:on\s+|over\s+)?"
    rf"(?:to|over to)\s+(?:a|an|the|my|some)?\s*{_PERSON}",
    rf"\b(?:transfer\w*|transmet\w*|transmettre|faire remonter|remonter|fais remonter|"
    rf"passe\w*)[- ](?:moi|-moi|ma (?:question|demande)|mon (?:message|cas)|cette (?:question|"
    rf"demande))\b.{{0,20}}\b(?:a|au|aux)\s+(?:un|une|le|la|mon|ma|l')?\s*{_PERSON}",
    r"\b(?:i'd like|i would like|i want|i'd love|can i|could i|je voudrais|j'aimerais|je veux|"
    r"je peux|je pourrais)\s(?:to\s)?(?:(?:speak|talk)\s(?:with|to)\s(?:him|her|them)|"
    r"(?:call|meet|see|email)\s(?:him|her|them)|(?:lui|leur)\s(?:parler|ecrire|telephoner)|"
    r"(?:l'|les\s)(?:appeler|rencontrer|voir|contacter|joindre))\b",
    rf"\b(?:can|could|may|would)\s+(?:a|an|the|my|someone|somebody|one of the)\s*"
    rf"(?:{_PERSON})?\s*(?:from \w+ )?(?:call|ring|phone|email|contact|review|go through|"
    rf"go over|look at|check|read|sit|explain|walk|take over|get back)",
    rf"\b(?:un|une|le|la|mon|ma|quelqu'un)\s+(?:{_PERSON}\s+)?(?:peut|pourrait|pourra)\s+"
    rf"(?:me|m'|relire|revoir|regarder|lire|m'expliquer|prendre le relais|revenir)",
    r"\b(?:person|personne|human|humain)\s+(?:can|could|peut|pourrait)\s+(?:take over|prendre "
    r"le relais)",
    r"^\W*(?:a |an |un |une |some )?(?:real |actual |vrai |vraie )?(?:human|person|"
    r"humain|personne|etre humain|someone real|real person)\s*(?:please|svp|stp|s'il "
    r"(?:vous|te) plait|now|maintenant)?\W*$",
    rf"\b(?:give me|donne-moi|donnez-moi|send me|envoie-moi)\b.{{0,20}}\b(?:contact|number|"
    rf"email|coordonnees|numero)\b.{{0,20}}{_PERSON}",
    r"\b(?:human|humain|person|personne)\b.{0,15}\b(?:behind|derriere)\b.{0,15}\b(?:this|ce|"
    r"the) (?:chat|bot|screen|ecran)",
    rf"\b(?:how (?:do|can) i|comment (?:je )?(?:peux |puis )?)(?:reach|contact|get hold of|"
    rf"joindre|contacter|contacte|joins)\b.{{0,20}}{_PERSON}",
)


_FRAME = re.compile(
    rf"{REQUEST}|\b(?:from|in|at|of|de|du|des|au|aux)\s+(?:the\s+|la\s+|l')?{_TEAM}\b", _F
)


def is_explicit_request(text: str) -> bool:
    """Whether the learner asks for a person (trainer, coach, mentor, a human)."""
    return _EXPLICIT.search(normalise(text)) is not None


def without_request(text: str) -> str:
    """The message with its requests for a person cut out, with their frame ("I'd like
    to", "from HR"): what it is about, if anything ("I'd like to talk to someone in HR
    about my salary" leaves "about my salary")."""
    rest = _FRAME.sub(" ", _EXPLICIT.sub(" ", normalise(text)))
    return " ".join(rest.split())
