"""Concept lexicons, French and English, over a normalised message.

A message is first normalised (:func:`coach.handoff.normalise.normalise`: lower case,
accents folded, curly apostrophes straightened, common chat abbreviations spelt out), so
one pattern covers "débordé", "deborde" and "DÉBORDÉ". Each concept is a family of words and phrases
("the learner's pay", "a health condition", "asking for a person"), not a sentence: the
rules combine a few of them, and the classifier reads them as extra tokens
(:func:`concept_tokens`), so a word it never saw in training still counts when the
lexicon knows it.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE


def _alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# --- who is speaking, and about what -------------------------------------------------

SELF = r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|je|j'|moi|mon|ma|mes|m')(?=\W|$)|\bj'|\bm'"
"""The learner speaks about themselves."""

STUDY = (
    r"\b(?:what (?:does|do|did|is|are)\b.{0,60}\b(?:say|says|mean|recommend|define)|"
    r"que (?:dit|disent|recommande)|selon (?:le|la|les|l')|d'apres (?:le|la|les|l')|"
    r"according to|as per|per the|quiz question|question (?:\d+|du quiz)|(?:^|\W)q\d+\b|"
    r"(?:in|dans|from|du|de la) (?:the|le|la|l')\s?"
    r"(?:[\w'-]+\s){0,3}(?:module|course|cours|e-learning|elearning|training|formation|"
    r"chapter|chapitre|lesson|lecon|video|quiz|exercise|exercice|case study|etude de cas|"
    r"cas pratique|role[- ]play|jeu de role|scenario|simulation|glossary|glossaire|policy|"
    r"politique|workshop|atelier|template|modele|slides?|path|parcours)\b|"
    r"(?:module|course|cours|chapter|chapitre|lesson|lecon|video|e-learning)\b.{0,25}"
    r"\b(?:says|said|explains|defines|recommends|lists|mentions|cites|talks about|dit|"
    r"definit|explique|recommande|cite|mentionne|parle|presente)\b|"
    r"case study|etude de cas|role[- ]play|jeu de role|"
    r"(?:c'est|it's|this is|asking|question|questions?) (?:pour|for) (?:le|la|the|my|a|un|une) "
    r"(?:\w+ )?(?:quiz|module|cours|course|exam|examen|test|assignment|devoir)|"
    r"(?:can you |could you |please |pls )?explain (?:to me )?(?:the|what|how|why|this|a|an|"
    r"again|simply|it again)\b|explique[rz]?[- ]moi|peux-tu expliquer|tu peux (?:m')?expliquer|"
    r"definition|summari[sz]e|resume)\b"
)
"""The sentence studies a topic (a course, a quiz, a case) rather than living it."""

MANAGER = (
    r"\b(?:my|mon|ma|our|notre) (?:\w+ )?(?:manager|boss|supervisor|team ?lead(?:er)?|"
    r"superior|head of (?:department|team)|n\+1|chef(?:fe)?|responsable|manageu(?:r|se)|"
    r"superieur(?:e)?|superviseu(?:r|se)|directeu(?:r|rice)|cheffe|chef d'equipe|"
    r"line manager)\b"
)

# --- sensitive topics ----------------------------------------------------------------

HARM_TO_ME = (
    r"\b(?:harass\w*|bull(?:y|ies|ied|ying)|insult\w*|humiliat\w*|belittl\w*|threaten\w*|"
    r"stalk\w*|grop\w*|kiss\w*|corner\w*|intimidat\w*|ridicul\w*|sabotag\w*|"
    r"(?:yell|shout|scream|swear|snap|lash(?:es|ed|ing)? out)\w* at|"
    r"(?:make|makes|made|making) fun of|laugh\w* at|pick\w* on|push\w* (?:me )?around|"
    r"spy\w* on|touch(?:es|ed|ing)?|grab\w*|hit\w*|push\w*|mock\w*|call\w* me names|"
    r"imitat\w*|copy\w*|wait\w* for)\s(?:at )?me\b|"
    r"\b(?:ask\w*|asking) me out|\bhit\w* on me|\b(?:posts?|posting|share\w*|spread\w*)\b.{0,30}"
    r"\b(?:about me|of me|my (?:picture|photo))|\bfake profile|rumou?rs? about me|"
    r"\b(?:imite\w*|copie\w*) (?:mon|ma)|\b(?:raconte|dit|disent|racontent) (?:que je|partout)|"
    r"\b(?:m'a|m'ont|me l'a)\s(?:\w+\s)?(?:menace\w*|insulte\w*|frappe\w*|touche\w*|pousse\w*|"
    r"agresse\w*|humilie\w*|harcele\w*|suivie?|embrasse\w*|coince\w*|traite\w* de)|"
    r"\b(?:won't leave me alone|doesn't leave me alone|ne me lache pas|make me pay|get me fired|ruin (?:me|my career)|lock\w* me out|(?:laugh|laughs|laughing|"
    r"rigole\w*|se marre\w*) (?:at me|when i|quand je)|me faire payer|me faire virer)\b|"
    r"(?<!ca )(?<!cela )\b(?:me|m')\s?(?:harcel\w*|insult\w*|humili\w*|menac\w*|touch\w*|"
    r"pelot\w*|tripot\w*|"
    r"embrass\w*|colle\w*|coinc\w*|rabaiss\w*|ridiculis\w*|traite\w* (?:de|d')|moqu\w*|"
    r"agress\w*|drague\w*|crie\w* dessus|hurle\w* dessus|engueul\w*|frapp\w*|bouscul\w*|"
    r"suit jusqu|suivi jusqu|surveill\w*|sabot\w*)|"
    r"\bse (?:moque\w*|fout\w*) de moi|\bon me (?:traite|moque|harcele|menace|insulte)"
)
"""Someone does harm to the learner: the learner is the object ("harasses me")."""

SEXUAL = (
    r"\b(?:sexual\w*|sexist\w*|sexy|explicit (?:photo|picture|pic|image|message|content)s?|"
    r"nudes?|naked|intimate (?:photo|picture|pic)s?|dick pics?|flirt\w*|"
    r"(?:hit|hits|hitting) on me|ask\w* me out|come on to me|make a pass|"
    r"(?:looked|look|you're|youre) hot|creep\w*|"
    r"sexuel\w*|sexiste\w*|photos? intimes?|connotation sexuelle|drague\w*|avances|"
    r"mains? baladeuses?|main aux fesses|canon|glauque|obscen\w*)\b"
)

BODY_REMARKS = (
    r"\b(?:comment\w*|remark\w*|joke\w*|say\w*|said)\b.{0,20}\b(?:about|on) my "
    r"(?:body|weight|looks|appearance|outfit|clothes|chest|breasts|legs|figure|bum|skin)|"
    r"\b(?:remarques?|reflexions?|commentaires?|blagues?)\b.{0,20}\bsur (?:mon|ma) "
    r"(?:physique|corps|poids|apparence|tenue|look|poitrine)|\bcommente\w* mon "
    r"(?:physique|poids|corps)"
)

UNWANTED_MESSAGES = (
    r"\b(?:sends?|sent|sending|keeps? sending|texts?|texting|messag\w*|dms?)\b\s?(?:me)\b.{0,50}"
    r"\b(?:inappropriate|explicit|sexual|creepy|flirty|nasty|dirty|late at night|at night|"
    r"uncomfortable|jokes|photos?|pictures?|pics?)|"
    r"\b(?:m'envoie\w*|m'ecri\w*|m'a envoye)\b.{0,50}\b(?:deplace\w*|sexuel\w*|intime\w*|"
    r"explicite\w*|glauque\w*|nuit|soir|mal a l'aise|blagues|photos?)"
)

EXCLUDED = (
    r"\b(?:left out|leave me out|leaves me out|excluded|exclude me|ignor\w* me|blank\w* me|"
    r"freez\w* me out|nobody (?:talks|speaks) to me|(?:stopped|stop) talking to me|"
    r"won't (?:talk|speak) to me|isolat\w* me|"
    r"mis\w* a l'ecart|me met\w* a l'ecart|m'ignor\w*|ne me parle\w* plus|me parle\w* (?:plus|a peine)|"
    r"au placard|m'adresse\w* plus la parole|m'ecart\w*|m'a ecart\w*|on m'exclu\w*)\b"
)

IDENTITY = (
    r"\b(?:woman|women|female|girls?|mother|mum|mom|pregnan\w*|maternity|older workers?|"
    r"my age|retire\w*|black|arab\w*|asian|muslim|jewish|christian|religio\w*|"
    r"headscarf|hijab|veil|turban|pray\w*|ramadan|gay|lesbian|trans|transition\w*|"
    r"homosexual\w*|queer|disab\w*|handicap\w*|wheelchair|deaf|blind|autis\w*|accent|"
    r"my origins?|foreign\w*|immigrant|skin colou?r|racis\w*|ethnic\w*|nationality|"
    r"union rep\w*|name sounds|overweight|"
    r"femmes?|filles?|maman|mamans|enceinte|grossesse|maternite|vieux|vieille|mon age|"
    r"retraite|noire?s?|arabes?|musulman\w*|juif|juive|chretien\w*|religion|foulard|"
    r"voile|priere|homo\w*|lesbienne|fauteuil|sourde?|aveugle|autiste|etrangere?|"
    r"mes origines|couleur de peau|ethni\w*|delegue syndical|surpoids)\b"
)

UNFAIR = (
    r"\b(?:refus\w*|reject\w*|turned down|exclud\w*|left out|passed over|overlooked|"
    r"not (?:selected|picked|chosen|invited|allowed|promoted)|never (?:picked|selected|"
    r"chosen|invited|promoted|put forward)|removed|taken off|treated (?:differently|unfairly)|"
    r"because (?:of )?(?:i'm|i am|my|i)|since i (?:told|announced|came out|said|started)|"
    r"not for (?:girls|women|people like me)|(?:i'm|i am|i was|me) too (?:old|young)|"
    r"not the right profile|"
    r"paid less|discriminat\w*|racis\w*|"
    r"refuse\w*|ecart\w*|exclu\w*|retire\w*|pas (?:retenue?|selectionnee?|invitee?|convie)|"
    r"jamais (?:propose|retenue?|invitee?|choisie?|convie)|traite\w* differemment|"
    r"a cause de (?:mon|ma|mes)|parce que je suis|depuis que (?:j'ai|je suis)|"
    r"pas pour les (?:filles|femmes)|(?:suis|etais|serais) trop (?:vieux|vieille|jeune|agee?)|"
    r"pas le bon profil|"
    r"payee? moins)\b"
)

CONDITION = (
    r"\b(?:cancer|chemo\w*|chimio\w*|diabet\w*|epilep\w*|adhd|tdah|dyslex\w*|dyspra\w*|"
    r"remission|hearing aids?|appareils? auditifs?|crutches|bequilles|stroke|avc|"
    r"broke my|broken (?:arm|leg|wrist|ankle)|fractur\w*|sprain\w*|casse (?:le|la)|"
    r"me (?:fais|fait) operer|"
    r"autis\w*|depress\w*|anxiety|anxiete|panic attacks?|crises? d'angoisse|bipolar\w*|"
    r"bipolaire|ptsd|migraines?|chronic|chronique|illness|disease|maladie|disabilit\w*|"
    r"handicap\w*|rqth|injur\w*|hernia|hernie|blessure|long covid|covid long|asthma\w*|"
    r"arthritis|sclerosis|sclerose|endometriosis|endometriose|hearing (?:impair\w*|loss|aids?)|"
    r"visually impaired|partially sighted|malvoyante?|malentendante?|deaf|sourde?|blind|"
    r"aveugle|eating disorder|troubles? (?:alimentaires?|anxieux|bipolaires?)|insomnia|"
    r"burn-?out|surgery|(?:my|an|mon|une) operation|operee?|medication|"
    r"medicaments?|antidepress\w*|therapy|therapie|therapist|psychiatr\w*|psychologist|"
    r"psy|doctor|docteur|medecin|gp|generaliste|occupational (?:health|doctor)|"
    r"medecine du travail|sick(?! with| of| and tired)|malade(?! d')|unwell|sick leave|arret (?:maladie|de travail)|"
    r"en arret|off sick|signed (?:me )?off|medical (?:leave|reasons|appointment)|"
    r"raisons medicales|mi-temps therapeutique|"
    r"therapeutic|pregnan\w*|enceinte|grossesse|miscarriage|fausse couche|ivf|pma|"
    r"hospital\w*|hopital|hospitalis\w*|wheelchair|fauteuil roulant|recovering|"
    r"probleme (?:de sante|medical)|souci de sante|(?:health|medical) (?:problem|issue|"
    r"condition)s?|"
    r"convalescence|physio\w*|kine)\b"
)
"""A health matter (condition, treatment, leave, disability, pregnancy) by name."""

SELF_HARM = (
    r"\b(?:hurt(?:ing)? myself|kill(?:ing)? myself|end(?:ing)? (?:it all|my life)|"
    r"ending it|suicid\w*|self[- ]harm|point (?:of|in) living|dark thoughts|"
    r"disappear for good|don't want to (?:be here|live|wake up)|"
    r"me faire du mal|me tuer|me suicider|idees noires|envie de mourir|interet de vivre|"
    r"en finir|plus envie d'etre la|plus envie de vivre|disparaitre pour de bon)\b"
)

PAY = (
    r"\b(?:salary|salaries|pay|paid|unpaid|payslip|pay slip|wages?|bonus(?:es)?|"
    r"(?:a|my|pay|get a) raise|pay rise|salary increase|commission|overtime|extra hours|"
    r"variable pay|reimburs\w*|repay|pay back|travel costs|"
    r"salaire|paie|payee?s?|fiche de paie|(?:ma|une|la|des|les|mes) primes?|"
    r"prime (?:annuelle|de fin d'annee|d'objectifs)|remunere\w*|remuneration|"
    r"(?:une|mon|d') augmentation|augmentee?|hausse de salaire|heures? sup\w*|"
    r"part variable|rembours\w*)\b"
)

CONTRACT = (
    r"\b(?:contract|fixed-term|temp contract|agency contract|apprenticeship contract|"
    r"permanent contract|trial period|probation\w*|notice period|resign\w*|quit my job|"
    r"dismiss\w*|fired|fire me|sack\w*|let me go|let go|laid off|layoffs?|redundan\w*|"
    r"restructur\w*|job cuts?|cuts coming|downsiz\w*|"
    r"my position|renew\w*|warning letter|improvement plan|"
    r"contrat|cdd|cdi|interim\w*|contrat d'alternance|periode d'essai|preavis|demission\w*|"
    r"licenci\w*|vire\w*|renvoy\w*|plan social|pse|suppressions? de postes?|"
    r"rupture conventionnelle|mon poste|mon emploi|renouvel\w*|avertissement|cpf|"
    r"dedit\w*|clause)\b"
)

I_PAID = (
    r"\b(?:(?:am|will|would|do|did|should|can) i (?:be |get |still )?(?:paid|compensated|"
    r"reimbursed|a raise|a pay rise|a bonus|promoted)|(?:get|getting|be|been|being) paid|"
    r"(?:pay|paid|fire|sack|dismiss|renew|promote) me\b|let me go|keep me on|(?:my|mon|ma|mes) "
    r"(?:\w+ ){0,2}(?:salary|pay|payslip|bonus|raise|wages?|overtime|contract|"
    r"salaire|paie|prime|remuneration|augmentation|heures sup\w*|contrat|cdd|cdi|"
    r"periode d'essai|trial period|probation)|"
    r"(?:serai|serais|suis|sera|seront|sont)[- ](?:je )?(?:payee?s?|remuneree?s?|augmentee?|"
    r"remboursee?s?|licenciee?|viree?|gardee?)|me (?:payer|paie|paye|rembourser|augmenter|"
    r"virer|licencier|garder|renvoyer)|(?:demander|avoir) une augmentation|"
    r"(?:lose|keep|protect) my (?:job|position)|perdre mon (?:poste|emploi|travail))\b"
)
"""The learner's own pay or job is at stake ("am I paid", "my contract", "me virer")."""

HOSTILE = (
    r"\b(?:shout\w*|yell\w*|scream\w*|ignor\w*|blank\w*|refus\w*|block\w*|won't (?:let|sign|"
    r"approve|allow|give|discuss|talk)|threat\w*|argu\w*|row|fight\w*|conflict\w*|dispute\w*|"
    r"disagree\w*|unfair\w*|against me|in for me|hates me|puts? me down|criticis\w*|"
    r"micromanag\w*|on my back|take\w* credit|took credit|humiliat\w*|mock\w*|angry|"
    r"gets angry|furious|out of spite|retaliat\w*|reprisals?|tension|bad terms|"
    r"don't get along|doesn't like me|don't agree|do not agree|lies|lied|lying|untrue|"
    r"treat\w* me (?:badly|like|unfairly|differently|as|with|worse)|(?:the way|how)\b.{0,25}"
    r"\btreats? me|(?:talks|speaks) to me like|me traite\w* (?:mal|comme|de|differemment|"
    r"injustement)|(?:la facon|la maniere) dont\b.{0,25}\bme (?:traite|parle)|"
    r"me parle\w* comme|"
    r"(?:aren't|isn't|not) true|a menti|mensonges?|choses fausses|"
    r"crie\w*|hurle\w*|ignore\w*|refuse\w*|bloque\w*|"
    r"empeche\w*|dispute\w*|engueul\w*|embrouill\w*|accroch\w*|conflit\w*|tensions?|"
    r"desaccord|conteste\w*|injuste\w*|contre moi|dans le nez|rabaiss\w*|critique\w*|"
    r"flique\w*|sur mon dos|s'enerve\w*|s'attribue\w*|reproche\w*|represailles|"
    r"ne passe plus|pas d'accord|me parle a peine|m'adresse plus)\b"
)

# --- the other signals ---------------------------------------------------------------

PERSON = (
    r"\b(?:human\w*|humain\w*|person|people|personne|someone|somebody|anyone|anybody|"
    r"quelqu'un|real|actual|vraie?|trainers?|formateu(?:r|rs)|formatrices?|coach\w*|"
    r"mentors?|tutors?|tuteur|tutrice|instructor|instructeur|facilitator|animat(?:eur|rice)|"
    r"advisor|adviser|conseill\w*|counsell?or|expert|referent|teacher|l&d|hr|rh|"
    r"training team|learning team|equipe (?:formation|pedagogique)|service formation|"
    r"parrain|marraine|etre humain|en chair et en os|agent)\b"
)

CONTACT = (
    r"\b(?:talk|speak|chat|discuss\w*|meet|see|call|ring|phone|contact|reach|email|e-mail|"
    r"write to|book|schedule|set up|arrange|connect|in touch|transfer|escalate|forward|"
    r"pass\w* (?:me|on)|get back to me|call me|calls me|ring me|one-to-one|one-on-one|1:1|"
    r"1-1|appointment|meeting|session|video call|teams call|office hours|face to face|"
    r"in person|take over|"
    r"parler|discuter|echanger|voir|rencontrer|appeler|rappel\w*|contacter|joindre|ecrire|"
    r"transfer\w*|transmet\w*|mettre en (?:relation|contact)|mets?[- ]moi en|passer la main|"
    r"prendre le relais|rendez-vous|entretien|tete a tete|face a face|en vrai|de vive voix|"
    r"visio|seance|permanence)\b"
)

REQUEST = (
    r"\b(?:can i|could i|may i|i'd like|i would like|i'd love|i want|i need|i'd prefer|"
    r"i'd rather|i prefer|i would prefer|let me|please|is it possible|is there|are there|"
    r"who (?:can|could|should|do) i|how (?:do|can) i (?:reach|contact|get)|can you|could you|"
    r"can someone|could someone|can a|could a|give me|get me|"
    r"est-ce que je peux|je peux|je pourrais|puis-je|je voudrais|j'aimerais|je veux|"
    r"je prefere|je prefererais|il me faut|besoin|possible|y a-t-il|il y a|qui (?:je peux|"
    r"puis-je|dois-je)|comment (?:je )?(?:contacte|joins|joindre)|tu peux|vous pouvez|"
    r"pouvez-vous|peux-tu|svp|stp|s'il (?:te|vous) plait)\b"
)

DISTRESS = (
    r"\b(?:overwhelm\w*|drowning|swamped|too much for me|can't cope|cannot cope|can't take|"
    r"can't do this|can't keep up|breaking point|end of my (?:rope|tether)|at my limit|"
    r"falling apart|giving up|want to give up|quit (?:this|the) (?:course|programme|program|"
    r"training)|drop(?:ping)? out|stressed|stressing|anxious|panick\w*|dread|nervous wreck|"
    r"knot in my stomach|can't sleep|lie awake|nightmares?|not smart enough|too stupid|"
    r"(?:so|feel|i'm) (?:stupid|dumb|useless)|"
    r"worthless|a failure|a fraud|impost[eo]r|not cut out|don't belong|ashamed|"
    r"embarrassed|humiliated|discourag\w*|demotivat\w*|hopeless|feel(?:ing)? (?:so |really |"
    r"very |pretty )?(?:down|low|lost|alone|small)|exhausted|burn(?:t|ed) out|"
    r"drained|running on (?:empty|fumes)|scared|terrified|crying|cried|in tears|"
    r"fed up|tired of|what's the point|why bother|no point|"
    r"deborde\w*|sous l'eau|noyee?|trop pour moi|n'en peux plus|j'en peux plus|"
    r"tiens plus|je craque|a bout|au bout du rouleau|abandonner|laisser tomber|tout lacher|"
    r"tout plaquer|stressee?|je stresse|angoiss\w*|panique\w*|boule au ventre|estomac noue|"
    r"dors plus|dors mal|cauchemars?|(?:suis|sens|trop) (?:nulle?|bete|minable|perdue?|"
    r"seule?|crame|rincee?|lessivee?|videe?|saturee?)|bon a rien|imposteu\w*|"
    r"imposture|pas fait pour|honte|decourag\w*|demotive\w*|desespere?\w*|moral a zero|"
    r"epuisee?|j'ai peur|terrifi\w*|pleur\w*|larmes|ras le bol|ras-le-bol|en ai marre|"
    r"a quoi bon|paralysee?|plus la force|plus l'energie|"
    r"crush\w* me|m'ecrase|(?:la )?pression (?:me |m')|want to cry|envie de pleurer|"
    r"envoyer (?:tout )?balader|jamais a la hauteur|never (?:be )?good enough|not good enough|"
    r"je sature|tete (?:qui va|va) exploser|head (?:is going to|will) explode|"
    r"drop (?:the|this|out of the) (?:whole )?(?:programme|program|course|training|path)|"
    r"losing confidence|perds confiance|confidence in myself|confiance en moi|"
    r"sick with worry|worried sick|malade d'inquietude|m'acharne)\b"
)

FAILURE = (
    r"\b(?:still (?:don't|can't|not|wrong|stuck|lost|fail\w*|get\w*|confus\w*|mix\w*)|"
    r"again and again|over and over|(?:failed|wrong|fail\w*) again|keeps? (?:failing|getting "
    r"(?:it|\w+) wrong|making the same|confusing|mixing)|same (?:mistake|score|wrong answer)|"
    r"no matter how|however many|(?:twice|three times|four times|five times|\d+ times|\d+x|"
    r"several times)|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) (?:time|attempt|try)|"
    r"redid|redone|retook|retaken|tried again|doesn't click|hasn't clicked|won't stick|"
    r"toujours pas|toujours faux|encore (?:rate|faux|un echec|une fois rate)|"
    r"meme (?:erreur|note|mauvaise reponse)|j'ai beau|peu importe combien|deux fois|"
    r"trois fois|quatre fois|cinq fois|\d+ fois|plusieurs fois|(?:deuxieme|troisieme|"
    r"quatrieme|cinquieme|\d+e) (?:fois|essai|tentative|echec)|refait|repasse|retente|"
    r"reessaye|rentre pas|rebelote|tourne en rond|going round in circles)\b"
)

HYPOTHETICAL = (
    r"\b(?:if i (?:fail|don't pass|miss)|what happens if|in case i|how many (?:attempts|"
    r"retakes|tries|times can)|can i (?:retake|redo|retry)|"
    r"si je (?:rate|echoue|ne reussis pas|loupe)|qu'est-ce qui se passe si|combien de "
    r"(?:tentatives|fois|essais)|je peux (?:le |la )?(?:repasser|refaire))\b"
)

FAILING = (
    r"\b(?:fail\w*|wrong|stuck|lost|confus\w*|mix\w* up|don't (?:get|understand|see)|"
    r"can't (?:get|do|pass|solve|write|see|understand|apply|tell)|doesn't (?:work|click|make "
    r"sense)|no sense|no luck|off by|not moving|not getting|not improv\w*|the same way|"
    r"rate\w*|echou\w*|echec|me trompe|me plante|faux|fausse|bloque\w*|coince\w*|seche|"
    r"comprends? (?:toujours )?pas|j'y arrive pas|n'arrive (?:toujours )?pas|arrive pas|"
    r"going down|dropp\w*|baisse\w*|stagne\w*|ne bouge pas|didn't help|ne m'aide pas|"
    r"rien a faire|n'avance\w*|moving forward|"
    r"rentre pas|n'avance pas|ne progresse pas|recale\w*|pareil)\b"
)
REPEAT = (
    r"\b(?:again|still|every (?:time|attempt|single time)|each time|(?:twice|three times|"
    r"four times|five times|\d+ times|\d+x|several times|many times)|(?:second|third|fourth|"
    r"fifth|\d+(?:st|nd|rd|th)) (?:time|attempt|try|go)|keeps?|kept|same (?:module|exercise|"
    r"chapter|quiz|question)|meme (?:module|exercice|chapitre|quiz)|(?:week|day|semaine|jour) "
    r"\w+ (?:on|sur) (?:the same|le meme)|redid|redone|redo|retook|"
    r"retaken|retried|retry|reread|rewatched|watched .{0,20} (?:again|twice|times)|for days|"
    r"all week|since (?:monday|last|yesterday)|no matter|however many|"
    r"toujours|encore|a chaque (?:fois|essai)|chaque fois|deux fois|trois fois|quatre fois|"
    r"cinq fois|\d+ fois|plusieurs fois|(?:deuxieme|troisieme|quatrieme|cinquieme|\d+e) "
    r"(?:fois|essai|tentative)|refait|refais|relu|revu|repasse|retente|reessaye|j'ai beau|"
    r"depuis (?:lundi|hier|une semaine|des jours|\d+ jours|le mois)|rebelote|malgre)\b"
)

_CONCEPTS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, _F)
    for name, pattern in {
        "self": SELF,
        "study": STUDY,
        "manager": MANAGER,
        "harm_to_me": HARM_TO_ME,
        "sexual": SEXUAL,
        "body": BODY_REMARKS,
        "unwanted_messages": UNWANTED_MESSAGES,
        "excluded": EXCLUDED,
        "identity": IDENTITY,
        "unfair": UNFAIR,
        "condition": CONDITION,
        "self_harm": SELF_HARM,
        "pay": PAY,
        "contract": CONTRACT,
        "i_paid": I_PAID,
        "hostile": HOSTILE,
        "person": PERSON,
        "contact": CONTACT,
        "request": REQUEST,
        "distress": DISTRESS,
        "failure": FAILURE,
        "failing": FAILING,
        "repeat": REPEAT,
        "hypothetical": HYPOTHETICAL,
    }.items()
}

_PAIRS = [
    # (a, b, window): both concepts within ``window`` characters of each other
    ("self", "condition", 30),
    ("self", "pay", 30),
    ("self", "contract", 30),
    ("self", "identity", 40),
    ("self", "sexual", 40),
    ("self", "distress", 30),
    ("identity", "unfair", 60),
    ("manager", "hostile", 80),
    ("failing", "repeat", 50),
    ("person", "contact", 40),
    ("request", "person", 40),
    ("request", "contact", 40),
]
_HOW_TO = re.compile(
    r"\b(?:how (?:do|can|should|would|could) i|where (?:do|can) i|can i|could i|do i|"
    r"comment (?:est-ce que )?(?:je|j')|ou (?:est-ce que )?(?:je|j')|est-ce que je peux|puis-je)\b",
    _F,
)


def _spans(normalised: str) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for name, pattern in _CONCEPTS.items():
        # "How do I ..." frames a question: its "I" is not the learner speaking of themselves
        text = (
            _HOW_TO.sub(lambda m: "_" * len(m.group()), normalised)
            if name == "self"
            else normalised
        )
        spans = [m.span() for m in pattern.finditer(text)]
        if spans:
            found[name] = spans
    return found


def concepts(normalised: str) -> set[str]:
    """The concepts present in an already normalised message."""
    return set(_spans(normalised))


def _near(a: list[tuple[int, int]], b: list[tuple[int, int]], window: int) -> bool:
    return any(sa - eb <= window and sb - ea <= window for sa, ea in a for sb, eb in b)


_PERSONAL = frozenset(
    "_c_" + name
    for name in (
        "self_pay",
        "self_contract",
        "self_condition",
        "self_sexual",
        "manager_hostile",
        "identity_unfair",
        "i_paid",
        "harm_to_me",
        "unwanted_messages",
        "body",
        "excluded",
        "self_harm",
    )
)


def personal_matter(normalised: str) -> bool:
    """Whether the message raises a sensitive matter of the learner's own, by concepts
    alone ("about my salary", "a colleague who won't leave me alone"; not in a study
    question). Used on what is left of a request for a person."""
    return not _PERSONAL.isdisjoint(concept_tokens(normalised).split())


def concept_tokens(normalised: str) -> str:
    """Concepts as pseudo-words for the classifier: ``_c_pay``, and pairs found close
    together (``_c_self_pay``: "I" near a pay word), with an ``_s`` twin
    (``_c_self_pay_s``) when the sentence also studies a topic."""
    found = _spans(normalised)
    tokens = [f"_c_{name}" for name in sorted(found)]
    study = "_s" if "study" in found else ""
    for a, b, window in _PAIRS:
        if a in found and b in found and _near(found[a], found[b], window):
            tokens.append(f"_c_{a}_{b}{study}")
    return " ".join(tokens)
