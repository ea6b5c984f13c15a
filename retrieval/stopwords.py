"""Stop words for the lexical side, per language.

Kept short on purpose: words that carry meaning in course text (``first``, ``none``,
``list``, ``not``) stay searchable, which matters for programming and policy content.
"""

ENGLISH = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself nor of off on once only or other
    our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also may might must shall us let lets s t
    """.split()
)

# Words that frame a quiz or learner question rather than say what it is about.
ENGLISH_QUERY_FRAME = frozenset(
    """
    following statement statements correct incorrect true false best describes describe
    example examples select choose option options answer answers question questions
    """.split()
)

FRENCH = frozenset(
    """
    a à ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez
    aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayez
    ayons c ce ceci cela celà ces cet cette d dans de des du elle elles en es est et étaient
    étais était étant été êtes étiez étions eu eue eues eûmes eurent eus eut eux fûmes furent
    fus fut il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n ne nos
    notre nous on ont ou où par pas pour qu que quel quelle quelles quels qui s sa sans se
    sera serai seraient serais serait seras serez seriez serions serons seront ses si soi
    soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une
    vos votre vous y ça cet comme aussi donc alors ainsi
    """.split()
)

FRENCH_QUERY_FRAME = frozenset(
    """
    suivant suivante suivantes suivants affirmation affirmations correcte correct vrai faux
    exemple réponse réponses question questions choisir
    """.split()
)

BY_LANGUAGE: dict[str, frozenset[str]] = {"en": ENGLISH, "fr": FRENCH}
QUERY_FRAME: dict[str, frozenset[str]] = {"en": ENGLISH_QUERY_FRAME, "fr": FRENCH_QUERY_FRAME}
