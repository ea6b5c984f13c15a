"""What items, feedback and hints say, in English and French (other languages: English)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "true": "True",
        "false": "False",
        "mcq_term": "Which term matches this description from the course: “{definition}”?",
        "mcq_cloze": "Which word completes the sentence? “{cloze}”",
        "tf": "True or false? {statement}",
        "short_art": "In your own words, what is {article} {term}?",
        "short": "In your own words, what does “{term}” mean?",
        "correct": "Correct.",
        "partly": "Partly right.",
        "wrong": "Not quite.",
        "expected": "The expected answer is “{answer}”.",
        "reference": "The course puts it this way: “{answer}”.",
        "missing": "Your answer does not mention: {terms}.",
        "see": "See {where}.",
        "hint_1": "Look again at the section “{section}” of “{module}”.",
        "hint_2_def": "What does the course say is {definition_start}…? Which term fits that?",
        "hint_2_tf": "Compare each part of the statement with what the section says. "
        "Is every word in it the one the course uses?",
        "hint_2": "Which idea in that section does the question ask about? Reread the "
        "sentence that mentions {topic}.",
        "hint_3_mcq": "You can rule out “{wrong}”.",
        "hint_3_cloze": "The missing part has {n_words} word(s) and {n_letters} letters.",
        "hint_3_short": "A good answer mentions {n_terms} key idea(s) from the section.",
        "hint_3_tf": "Check the key term of the statement against the course's own words.",
    },
    "fr": {
        "true": "Vrai",
        "false": "Faux",
        "mcq_term": "Quel terme correspond à cette description du cours : « {definition} » ?",
        "mcq_cloze": "Quel mot complète la phrase ? « {cloze} »",
        "tf": "Vrai ou faux ? {statement}",
        "short_art": "Avec vos mots, que désigne « {term} » ?",
        "short": "Avec vos mots, que désigne « {term} » ?",
        "correct": "Exact.",
        "partly": "En partie.",
        "wrong": "Pas tout à fait.",
        "expected": "La réponse attendue est « {answer} ».",
        "reference": "Le cours le formule ainsi : « {answer} ».",
        "missing": "Votre réponse ne mentionne pas : {terms}.",
        "see": "Voir {where}.",
        "hint_1": "Relisez la section « {section} » du module « {module} ».",
        "hint_2_def": "Que dit le cours de « {definition_start}… » ? Quel terme y correspond ?",
        "hint_2_tf": "Comparez chaque partie de l'affirmation avec la section. "
        "Chaque mot est-il bien celui du cours ?",
        "hint_2": "Sur quelle idée de cette section porte la question ? Relisez la phrase "
        "qui parle de {topic}.",
        "hint_3_mcq": "Vous pouvez écarter « {wrong} ».",
        "hint_3_cloze": "La partie manquante compte {n_words} mot(s) et {n_letters} lettres.",
        "hint_3_short": "Une bonne réponse reprend {n_terms} idée(s) clé(s) de la section.",
        "hint_3_tf": "Vérifiez le terme clé de l'affirmation dans les mots du cours.",
    },
}


def phrase(language: str, key: str, **values: object) -> str:
    """A phrase in ``language`` (English when the language has none) with values filled in."""
    table = PHRASES.get(language, PHRASES["en"])
    return table.get(key, PHRASES["en"][key]).format(**values)
