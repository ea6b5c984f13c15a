"""Sensitive topics the learner raises about themselves, French and English (rules).

A topic counts when the learner says it happens to them ("harasses me", "mon CDD se
termine", "I have dyslexia", "my manager shouts at me") and not when they ask what a course
says about it ("What does the harassment module say about witnesses?"). What the learner
says of themselves (a condition, being treated differently because of who they are)
counts even beside a study question; the rest needs no study framing. Broader
combinations of concepts ("my" near a pay word) are left to the classifier.
"""

from __future__ import annotations

import re

from coach.handoff import lexicon as lx
from coach.handoff.normalise import normalise
from coach.handoff.signals import Subtopic

_F = re.IGNORECASE | re.UNICODE


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _F)


_STUDY = re.compile(lx.STUDY, _F)
_SELF = re.compile(lx.SELF, _F)
_MANAGER = re.compile(lx.MANAGER, _F)
_HOSTILE = re.compile(lx.HOSTILE, _F)
_SEXUAL = re.compile(lx.SEXUAL, _F)
_CONDITION_WORD = (
    r"(?:cancer|diabetes|epilepsy|adhd|add|tdah|dyslexia|dyspraxia|autism|depression|"
    r"anxiety|anxiete|anxiety disorder|panic attacks|bipolar\w*|ptsd|migraines?|illness|"
    r"disease|maladie|disability|handicap|rqth|injury|hernia|hernie|blessure|long covid|"
    r"covid long|asthma|arthritis|sclerosis|sclerose|endometriosis|endometriose|"
    r"hearing (?:impairment|loss|problem)|hearing aids|visual impairment|eating disorder|"
    r"troubles? (?:alimentaires?|anxieux|bipolaires?|de l'attention|dys\w*)|tda|tdah|"
    r"insomnia|burn-?out|operation|surgery|chemo\w*|chimio\w*|treatment|traitement|"
    r"condition|problem with my (?:back|heart|knee|eyes|hearing)|back problem|heart problem|"
    r"probleme (?:de|au) (?:dos|coeur|genou|sante|vue|audition)|crises? d'angoisse|"
    r"crises? d'epilepsie|acouphenes|tinnitus|cataract\w*|diabete|epilepsie|dyslexie|"
    r"dyspraxie|autisme|depression|fibromyalgi\w*|lupus|crohn\w*|hiv|vih|mal de dos)"
)
_HEALTH = _any(
    # self-declared condition, treatment, disability, pregnancy, sick leave
    rf"\bi(?:'ve| have)? (?:have|got|suffer from|was diagnosed with|been diagnosed with|"
    rf"am being treated for|'m being treated for|live with|am recovering from|'m recovering "
    rf"from|'m going through|am going through|had|'m having|am having|'ve had|'m in|am in|"
    rf"'m on|am on|developed)\s(?:(?:a|an|some|the|my|severe|mild|chronic|bad|serious|"
    rf"recognised|recognized|long-term|mental|physical|hidden|invisible|sleep|back|heart|"
    rf"autoimmune|rare|learning|hearing|visual|major|clinical|knee|hip|shoulder)\s){{0,3}}"
    rf"{_CONDITION_WORD}\b",
    r"\b(?:i'm|i am|i've been|i was)\s(?:\w+\s)?(?:deaf|blind|dyslexic|dyspraxic|diabetic|"
    r"epileptic|autistic|pregnant|partially sighted|visually impaired|hard of hearing|"
    r"disabled|off sick|on sick leave|on medical leave|in chemo\w*|on (?:medication|"
    r"antidepressants|treatment)|in therapy|in hospital|hospitali[sz]ed|signed off|"
    r"diagnosed|being treated|recovering from|back from (?:surgery|sick leave|hospital|"
    r"medical leave)|having (?:surgery|an operation)|immunocompromised)\b",
    r"\b(?:je suis|suis|j'etais|je serai)\s(?:\w+\s)?(?:dyslexique|dyspraxique|diabetique|"
    r"epileptique|autiste|enceinte|sourde?|malvoyante?|malentendante?|aveugle|handicapee?|"
    r"malade(?! d'| de )|en arret|en chimio|sous traitement|sous antidepresseurs|suivie? (?:pour|par "
    r"(?:un|une) psy)|soignee? pour|hospitalisee?|operee?|en mi-temps therapeutique|"
    r"en convalescence|en fauteuil|reconnue? travailleur handicape|atteinte? d)\b",
    rf"\b(?:i suffer from|je souffre d(?:e |')|i'm in|je suis en)\s?(?:\w+\s)?"
    rf"(?:{_CONDITION_WORD}|remission)\b",
    r"\b(?:i|je)\s(?:wear|use|need|porte|utilise)\s(?:\w+\s)?(?:hearing aids?|a wheelchair|"
    r"crutches|a cane|appareils? auditifs?|un fauteuil|des bequilles|une canne)",
    rf"\bj'ai (?:(?:un|une|des|de l'|du|le|la|une grave|un gros|une petite)\s?)?"
    rf"(?:\w+\s)?{_CONDITION_WORD}\b",
    r"\b(?:on m'a diagnostique|on m'a detecte|diagnostiquee?)\b",
    r"\b(?:my|mon|ma) (?:doctor|gp|therapist|psychiatrist|psychologist|physio|consultant|"
    r"oncologist|specialist|medecin|docteur|psy|psychiatre|generaliste|kine|specialiste)\b"
    r".{0,30}\b(?:says|said|told|wants|thinks|signed|put me|advised|recommend\w*|forbade|"
    r"dit|m'a|veut|pense|interdit|conseille|arrete)",
    r"\b(?:occupational (?:health|doctor)|medecine du travail|medecin du travail)\b.{0,30}"
    r"\b(?:said|says|told me|won't|forbid\w*|m'a|m'interdit|dit|interdit)",
    r"\b(?:my|ma|mon) (?:sick leave|arret (?:maladie|de travail)|pregnancy|grossesse|"
    r"operation|surgery|chemo\w*|chimio\w*|treatment|traitement|disability|handicap|illness|"
    r"maladie|condition|diagnosis|diagnostic|medical leave|conge maladie)\b",
    r"\b(?:i'm|i am|je suis|i'll be|je serai|i've been) (?:off|on|en) (?:sick|sick leave|"
    r"arret|medical leave|conge maladie)\b|\boff sick\b|\bsigned (?:me )?off\b",
    r"\b(?:miscarriage|fausse couche|ivf|pma|chemo|chimio)\b",
    r"\b(?:just |recently )?(?:had|having|got|getting) (?:a |an |my )?(?:\w+ )?(?:surgery|"
    r"operation)\b|\b(?:i|i've) (?:broke|broken|fractured|sprained|injured|hurt) my\b|"
    r"\bme (?:suis|fais|fait) (?:casse|cassee|operer|fracture|blesse\w*)|\bje me fais operer",
)
_WORDS = (
    r"\bdiscriminat\w*|\bdiscrimine\w*|\bracis\w*|\bsexis[tm]\w*|\bhomophob\w*|"
    r"\btransphob\w*|\bislamophob\w*|\bantisemit\w*|\bageis\w*|\bagis[tm]e"
)
_DISCRIMINATION = _any(
    r"\bbecause (?:i'm|i am|i was) (?:a |an |the only )?(?:woman|man|mother|mum|pregnant|"
    r"black|arab|asian|muslim|jewish|gay|lesbian|trans|old|older|young|disabled|deaf|foreign|"
    r"a foreigner|not from here|overweight|part-time)",
    r"\bbecause of my (?:age|origins?|accent|religion|faith|disability|handicap|pregnancy|"
    r"skin|name|weight|headscarf|hijab|veil|sexuality|gender|colou?r|nationality|race|"
    r"ethnicity|kids|children|union)",
    r"\bparce que je suis (?:une |un |la seule |le seul )?(?:femme|homme|maman|mere|"
    r"enceinte|noire?|arabe|musulman\w*|juif|juive|homo\w*|lesbienne|trans|vieux|vieille|"
    r"jeune|handicapee?|sourde?|etrangere?|syndique\w*)",
    r"\ba cause de (?:mon|ma|mes) (?:age|origines?|accent|religion|handicap|grossesse|"
    r"couleur|nom|poids|foulard|voile|orientation|sexe|nationalite|enfants)",
    r"\b(?:since|after) i (?:told|announced|said|came out|mentioned)\b.{0,40}\b(?:pregnan\w*|"
    r"gay|lesbian|trans|disab\w*|autis\w*|muslim|jewish|religio\w*|adhd|dyslex\w*|"
    r"condition|illness)",
    r"\bdepuis que (?:j'ai (?:annonce|dit|revele|parle de)|je suis)\b.{0,40}\b(?:grossesse|"
    r"enceinte|homo\w*|gay|trans|handicap\w*|autiste|musulman\w*|maladie|rqth|syndica\w*|"
    r"delegue)",
    r"\b(?:i'm|i am|je suis) (?:the only|la seule|le seul) (?:woman|black|muslim|foreigner|"
    r"femme|noire?|musulmane?|etrangere?|arabe)\b.{0,60}\b(?:never|always|left out|excluded|"
    r"jamais|toujours|ecart\w*|exclue?)",
    r"\b(?:i'm|i am|i was|told me i'm|told me i was|said i'm|said i was|m'a dit que j'etais|"
    r"je suis|j'etais|que je suis|qu'il? (?:me )?trouve) (?:'|\")?(?:too old|too young|trop "
    r"vieux|trop vieille|trop jeune|trop agee?)",
    r"\b(?:not for|pas pour les) (?:girls|women|mums|filles|femmes|mamans|vieux)",
    r"\bonly\b.{0,40}\b(?:to |for )?(?:the )?(?:guys|men|males|young(?:er)? (?:ones|people)|"
    r"full-timers)\b.{0,60}\b(?:i'm|i am|me|my)\b|\b(?:qu'aux|reserve\w* aux) (?:hommes|mecs|"
    r"jeunes|temps pleins?)\b.{0,60}\b(?:je|moi|me|m')",
    r"\b(?:asked|asks|ask|demande|demandait|a demande)\b.{0,10}\b(?:if|whether|si) "
    r"(?:i|je|j')\s?(?:\w+\s){0,2}(?:plan|want|intend|compte|veux|prevois|envisage)\w*\b.{0,25}"
    r"\b(?:kids|children|a baby|pregnan\w*|enfants?|bebe|enceinte|grossesse)",
    rf"(?:i'm|i am|i feel|i've been|i was|i think|je suis|je me sens|j'ai ete|je pense|"
    rf"je crois|on me|they)\b.{{0,40}}(?:{_WORDS})|\b(?:is (?:this|it|that)|c'est|est-ce)\b"
    rf".{{0,15}}(?:{_WORDS})(?!.{{0,40}}\b(?:example|exemple|difference|definition|module|"
    rf"course|cours))",
    r"\b(?:paid|payee?) (?:less|moins) (?:than|que) (?:my|mon|ma|mes|the|les) (?:male|female|"
    r"\w+ )?(?:colleague|collegue|men|hommes|women|femmes)",
    r"\b(?:refused|rejected|denied|refuse\w*)\b.{0,40}\b(?:accommodation|adjustment|interpreter|"
    r"amenagement|interprete|accessib\w*)\b.{0,30}\b(?:my|mon|ma|for me|pour moi)\b|"
    r"\b(?:my|mon|ma) (?:disability|handicap)\b.{0,40}\b(?:refus\w*|exclu\w*|won't|not "
    r"adapt\w*|pas adapt\w*)",
    r"\b(?:porter|wear\w*|wearing) (?:le |the |a |un )?(?:voile|foulard|hijab|headscarf|"
    r"turban|kippa|kippah)\b.{0,60}\b(?:not|pas|can't|can't|incompatible|interdit|refus\w*|"
    r"allowed)",
)
_BARE_WORD = re.compile(_WORDS, _F)  # the topic's name alone: a study question may use it
_HARASSMENT = _any(
    lx.HARM_TO_ME,
    lx.UNWANTED_MESSAGES,
    lx.BODY_REMARKS,
    r"\b(?:i'm|i am|i've been|i feel|je suis|je me sens|i think i'm|je crois que je suis|"
    r"je subis|i'm being|i am being)\s(?:being\s)?(?:\w+\s)?(?:harass\w*|bullied|stalked|"
    r"harcele\w*|victime de harcelement|du harcelement|des moqueries|"
    r"harassment|intimidated|threatened|menacee?|agressee?)",
    r"\b(?:this|it|ce que je vis|what'?s happening to me|ce qui m'arrive)\b.{0,30}"
    r"\b(?:harassment|harcelement)\b",
    r"\b(?:tried to|a essaye de|essaye de) (?:kiss|touch|grab|m'embrasser|me toucher|me "
    r"peloter)",
    r"\b(?:sexual|sexist|sexuel\w*|sexiste\w*|deplace\w*|inappropriate|explicit\w*) "
    r"(?:jokes|comments|remarks|messages|photos?|pictures?|blagues|remarques|messages|"
    r"gestes|propos)\b.{0,40}\b(?:me|my|moi|m'|i|je|j')\b",
    r"\b(?:hand|hands|main|mains) (?:on|sur) (?:my|ma|mon|mes|la|le|les) (?:thigh|knee|bum|"
    r"leg|waist|shoulder|chest|cuisse|genou|fesses|taille|jambe|epaule|poitrine)",
    r"\b(?:ask\w*|asking|invit\w*) me (?:out|for (?:a )?drinks?|to (?:his|her) (?:room|place|"
    r"hotel))|\bhit\w* on me|\bwon't take no|(?:me|m') (?:demande|propose)\w* (?:sans arret |"
    r"tout le temps |encore )?de sortir avec|\bm'invite\w* (?:dans|chez)",
)
_EXCLUDED = re.compile(lx.EXCLUDED, _F)
_PAY = _any(
    r"\b(?:my|mon|ma) (?:\w+ )?(?:contract|cdd|contrat|alternance|apprenticeship|"
    r"internship|stage|mission)\b.{0,25}\b(?:ends|finishes|expires|ending|runs out|won't|"
    r"isn't|is not|wasn't|not (?:be )?renew\w*|se termine|se finit|finit|termine|prend fin|"
    r"s'arrete|n'est pas renouvele|ne sera pas renouvele|renouvel\w*|renew\w*)",
    r"\b(?:my|ma|mon) (?:trial period|probation\w*|periode d'essai)\b|"
    r"\b(?:i'm|i am|je suis)\s(?:still\s|encore\s)?(?:on|in|en) (?:my\s|ma\s)?"
    r"(?:trial period|probation|periode d'essai)",
    r"\b(?:(?:am|will|would|do|did) i (?:be |get |still )?(?:paid|compensated|"
    r"reimbursed)(?! (?:attention))|(?:will|would|do|can|could|should) i get (?:a |my )?"
    r"(?:raise|pay rise|salary increase|bonus|promotion)|"
    r"(?:serai|serais)[- ](?:je )?(?:payee?|augmentee?|remboursee?|licenciee?|viree?)|"
    r"(?:est-ce que je|je) (?:serai|serais|vais etre) (?:payee?|augmentee?|remboursee?|"
    r"licenciee?|viree?|gardee?))\b",
    r"\b(?:layoffs?|redundanc\w*|restructuring|job cuts|plan social|pse|licenciements?|"
    r"suppressions? de postes?|plan de depart)\b.{0,60}\b(?:my|mon|ma|me|i|je|our|notre)\b|"
    r"\b(?:my|mon|ma|our|notre)\b.{0,40}\b(?:layoffs?|redundanc\w*|job cuts|plan social|pse|"
    r"licenciements?|suppressions? de postes?)\b",
    r"\b(?:repay|pay back|reimburse|rembourser)\b.{0,40}\b(?:if i|si je) (?:resign|quit|leave|"
    r"demissionne|pars|quitte)",
    r"\b(?:if i|si je) (?:resign|quit|leave|demissionne|pars|quitte)\b.{0,60}\b(?:owe|repay|"
    r"pay back|reimburse|payer|rembourser|fees|frais|costs?|cout)",
    r"\b(?:give[sn]? me|entitles? me|me donne\w*|(?:am|will) i (?:be )?entitled)\b.{0,20}"
    r"\b(?:(?:the )?right to|droit a)?.{0,10}\b(?:a |une )?(?:promotion|raise|pay rise|"
    r"augmentation|salary increase|hausse de salaire)",
    r"\b(?:let me go|(?:fire|sack|dismiss) me|me (?:virer|licencier|renvoyer|garder)|"
    r"(?:lose|keep|protect) my (?:job|position)|mon poste (?:va|est|sera)\s?(?:\w+\s)?"
    r"(?:sauter|menace|supprime)|my job (?:safe|at risk|be cut|is at risk|threatened))\b",
    r"\b(?:my|ma|mon|mes) (?:\w+ )?(?:salary|pay|bonus|wages?|overtime|raise|salaire|paie|prime|"
    r"remuneration|heures sup\w*)\b.{0,20}\b(?:cut|reduced|lower|went down|dropped|hasn't "
    r"(?:moved|changed|been paid)|haven't been paid|wasn't paid|never came|a baisse|baisse|"
    r"est plus basse|n'a pas bouge|pas (?:ete )?payees?|jamais)",
    r"\b(?:ask for|request|get|demander|avoir)\s(?:a |une )?(?:pay rise|raise|salary increase|"
    r"augmentation|hausse de salaire)",
    r"\b(?:(?:promised|promis)\b.{0,20}\b(?:raise|pay rise|bonus|augmentation|prime)|"
    r"(?:raise|augmentation|prime)\b.{0,20}\b(?:promised|promise))",
    r"\b(?:nobody|no one|never|personne ne|jamais)\b.{0,20}\b(?:paid|pay|reimbursed|paye|"
    r"rembourse)\w*\s(?:me|my|mes|moi)\b",
    r"\b(?:warning letter|avertissement|improvement plan|plan d'amelioration|rupture "
    r"conventionnelle)\b.{0,60}\b(?:me|my|i|je|moi|mon|ma|m')\b|"
    r"\b(?:me|m'|i|je)\b.{0,30}\b(?:warning letter|avertissement|rupture conventionnelle)\b",
)
_PAID_TIME = re.compile(
    r"\b(?:(?:training|course|learning|e-learning) (?:hours|time|days)|hours (?:of|on the) "
    r"(?:training|course)|(?:heures|temps|jours) (?:de |en )?(?:formation|e-learning))\b.{0,60}"
    r"\b(?:paid|compensated|count as (?:work|overtime|working time)|payee?s?|remunere\w*|"
    r"recuper\w*|compte\w* comme (?:du )?temps de travail|heures sup\w*)",
    _F,
)
_CONFLICT = re.compile(
    rf"{lx.MANAGER}.{{0,80}}{lx.HOSTILE}|{lx.HOSTILE}.{{0,60}}{lx.MANAGER}|"
    r"\b(?:had|have) (?:a |an )?(?:row|argument|fight|falling out|dispute)\b.{0,30}\b(?:with )?"
    r"(?:my|our) (?:manager|boss|supervisor|team ?lead\w*)|"
    r"\b(?:can't|cannot|can no longer) work with my (?:manager|boss|supervisor)|"
    r"\b(?:change teams|changer d'equipe) (?:because of|a cause de) (?:my|mon|ma)|"
    r"\b(?:report|signaler) (?:my|mon|ma) (?:manager|boss|chef|responsable|manageu\w*)\b|"
    r"\b(?:between me and|with) (?:my|our) (?:manager|boss|supervisor|team ?lead\w*)\b.{0,30}"
    r"\b(?:bad|worse|terrible|awful|toxic|tense|difficult|unbearable|impossible|not working)|"
    r"\b(?:entre (?:mon|ma) (?:chef|cheffe|manager|responsable|n\+1) et moi|avec (?:mon|ma) "
    r"(?:chef|cheffe|manager|responsable|n\+1))\b.{0,30}\b(?:tendue?|mal|complique|toxique|"
    r"difficile|horrible|catastrophique)|"
    r"(?:se passe|ca va|ca se passe) (?:tres |vraiment )?mal avec (?:mon|ma) (?:chef|manager|"
    r"responsable|n\+1)|\b(?:me and|moi et) (?:my|mon|ma) (?:manager|boss|chef|manageu\w*)\b"
    r".{0,30}\b(?:don't get along|really don't|can't stand|s'entend\w* (?:pas|plus)|ne "
    r"s'entend)|\bwith (?:my|mon|ma) (?:manager|boss|chef|cheffe)\b.{0,30}\b(?:ca ne passe|"
    r"it'?s not working|unbearable|insupportable)|\bavec (?:mon|ma) (?:chef|cheffe|manager|"
    r"responsable|n\+1)\b.{0,20}\b(?:ca ne passe|ca passe pas|insupportable|horrible)",
    _F,
)
_CUSTOMER = re.compile(
    r"\b(?:customer|client|prospect|caller|buyer|supplier|fournisseur|acheteur)s?\b", _F
)


_SUBJECTLESS = re.compile(
    r"^\W*(?:just |recently |currently |still )?(?:(?:had|having|got|getting|been|"
    r"recovering from|back from|sortie? d'|de retour d'?)\b.{0,25}\b(?:surgery|operation|"
    r"sick leave|hospital|diagnos\w*|chemo\w*|injur\w*|arret maladie|arret de travail|"
    r"hopital|operation|chimio)|off sick|on (?:sick|medical) leave|in hospital|pregnant|"
    r"enceinte|en arret (?:maladie|de travail)?|diagnosed with)\b",
    _F,
)


def sensitive_topic(text: str) -> Subtopic | None:
    """The sensitive topic the learner raises about themselves, if any (rules only)."""
    t = normalise(text)
    if re.search(lx.SELF_HARM, t, _F):
        return "health"
    study = _STUDY.search(t) is not None
    if _PAID_TIME.search(t) and not study:
        return "pay_or_contract"
    if (
        _SUBJECTLESS.search(t) and not study
    ):  # "just had knee surgery, can't come": the subject is the learner
        return "health"
    if _SELF.search(t) is None:
        return None
    # what the learner says of themselves counts even beside a study question
    if _DISCRIMINATION.search(t) and not (study and _BARE_WORD.search(t)):
        return "discrimination"
    if _HEALTH.search(t):
        return "health"
    if _HARASSMENT.search(t) and not (study and _CUSTOMER.search(t)):
        sexual = _SEXUAL.search(t) or re.search(r"harass|harcel|bull|touch|grop|pelot", t)
        if _MANAGER.search(t) and not sexual and _CONFLICT.search(t):
            return "conflict_with_manager"
        return "harassment"
    if study:
        return None
    if _CONFLICT.search(t):
        return "conflict_with_manager"
    if _EXCLUDED.search(t):
        return "conflict_with_manager" if _MANAGER.search(t) else "harassment"
    if _PAY.search(t):
        return "pay_or_contract"
    return None
