"""The fixed shape of the evaluation organisation: skills, roles, items, teams, names.

Everything random (who is in which team, sessions' dates, history) is drawn by
:mod:`evals.admin.generate` from the seed; what is here never changes, so templates can name
the courses, teams and managers the generated data will hold.
"""

from __future__ import annotations

SLUG = "acme-eval"
NAME = "Acme Logistics (evaluation)"

SKILLS = {
    "data_protection.principles": "GDPR principles and legal bases",
    "data_protection.practice": "Handling personal data day to day",
    "python.basics": "Python basics",
    "python.pandas": "Working with tables in pandas",
    "leadership.people": "Leading a team",
    "leadership.feedback": "Giving feedback",
    "compliance.conduct": "Applying the code of conduct",
    "compliance.anti_bribery": "Preventing bribery",
    "security.phishing": "Recognising phishing",
    "excel.pivot_tables": "Excel pivot tables",
    "safety.fire": "Fire safety and evacuation",
    "safety.manual_handling": "Safe manual handling",
    "safety.first_aid": "First aid at work",
    "productivity.time": "Managing one's time",
}
REQUIRES = {
    "data_protection.practice": ["data_protection.principles"],
    "python.pandas": ["python.basics"],
    "leadership.feedback": ["leadership.people"],
}

# role: (label, skills it needs)
ROLES = {
    "warehouse-operative": (
        "Warehouse operative",
        ["safety.fire", "safety.manual_handling", "compliance.conduct"],
    ),
    "team-leader": (
        "Team leader",
        ["leadership.people", "leadership.feedback", "compliance.anti_bribery", "safety.fire"],
    ),
    "data-analyst": (
        "Data analyst",
        ["python.basics", "python.pandas", "data_protection.practice", "security.phishing"],
    ),
    "sales-rep": (
        "Sales representative",
        ["compliance.anti_bribery", "data_protection.principles", "security.phishing"],
    ),
    "hr-advisor": (
        "HR advisor",
        ["data_protection.principles", "data_protection.practice", "leadership.feedback"],
    ),
    "logistics-coordinator": (
        "Logistics coordinator",
        ["safety.fire", "excel.pivot_tables", "productivity.time", "security.phishing"],
    ),
    "finance-officer": (
        "Finance officer",
        ["excel.pivot_tables", "compliance.anti_bribery", "security.phishing", "python.basics"],
    ),
}

OFFICE = ["data-analyst", "sales-rep", "hr-advisor", "logistics-coordinator", "finance-officer"]

# id: title, modality, minutes, language, skills, mandatory rules [(role, renewal_days)],
# roles it interests (enrolment probability), pre/post test
ITEMS: dict[str, dict] = {
    "rgpd-fondamentaux": {
        "title": "RGPD : les fondamentaux",
        "modality": "e-learning",
        "minutes": 80,
        "language": "fr",
        "skills": ["data_protection.principles", "data_protection.practice"],
        "mandatory": [
            ("hr-advisor", 730),
            ("sales-rep", 730),
            ("data-analyst", 730),
            ("team-leader", None),
        ],
        "prepost": True,
    },
    "python-analysts": {
        "title": "Python for analysts",
        "modality": "e-learning",
        "minutes": 360,
        "language": "en",
        "skills": ["python.basics", "python.pandas"],
        "interest": {"data-analyst": 0.95, "finance-officer": 0.6, "*": 0.06},
        "prepost": True,
    },
    "leadership-essentials": {
        "title": "Leadership essentials",
        "modality": "e-learning",
        "minutes": 240,
        "language": "en",
        "skills": ["leadership.people", "leadership.feedback"],
        "interest": {"team-leader": 0.9, "hr-advisor": 0.3, "*": 0.08},
        "prepost": True,
    },
    "code-of-conduct": {
        "title": "Code of conduct",
        "modality": "e-learning",
        "minutes": 30,
        "language": "en",
        "skills": ["compliance.conduct"],
        "mandatory": [("*", None)],
    },
    "anti-bribery": {
        "title": "Anti-bribery",
        "modality": "e-learning",
        "minutes": 45,
        "language": "en",
        "skills": ["compliance.anti_bribery"],
        "mandatory": [("sales-rep", 730), ("finance-officer", 730), ("team-leader", 730)],
    },
    "cybersecurite": {
        "title": "Cybersécurité : les bons réflexes",
        "modality": "e-learning",
        "minutes": 50,
        "language": "fr",
        "skills": ["security.phishing"],
        "mandatory": [(role, 365) for role in OFFICE],
    },
    "excel-tcd": {
        "title": "Excel : tableaux croisés dynamiques",
        "modality": "e-learning",
        "minutes": 120,
        "language": "fr",
        "skills": ["excel.pivot_tables"],
        "interest": {"finance-officer": 0.7, "logistics-coordinator": 0.4, "sales-rep": 0.3},
    },
    "time-management": {
        "title": "Gestion du temps et des priorités",
        "modality": "e-learning",
        "minutes": 60,
        "language": "fr",
        "skills": ["productivity.time"],
        "interest": {"*": 0.15},
    },
    "gdpr-workshop": {
        "title": "GDPR in practice (virtual class)",
        "modality": "virtual",
        "minutes": 120,
        "language": "en",
        "skills": ["data_protection.practice"],
        "interest": {"hr-advisor": 0.8, "sales-rep": 0.4, "data-analyst": 0.4, "team-leader": 0.3},
    },
    "fire-safety": {
        "title": "Fire safety",
        "modality": "in-person",
        "minutes": 180,
        "language": "en",
        "skills": ["safety.fire"],
        "mandatory": [("warehouse-operative", 365), ("logistics-coordinator", 365)],
        "interest": {"team-leader": 0.5, "*": 0.15},
    },
    "manual-handling": {
        "title": "Manual handling",
        "modality": "in-person",
        "minutes": 210,
        "language": "en",
        "skills": ["safety.manual_handling"],
        "mandatory": [("warehouse-operative", 730)],
        "interest": {"logistics-coordinator": 0.4, "team-leader": 0.2, "*": 0.05},
    },
    "feedback-workshop": {
        "title": "Giving feedback workshop",
        "modality": "in-person",
        "minutes": 240,
        "language": "en",
        "skills": ["leadership.feedback"],
        "interest": {"team-leader": 0.9, "hr-advisor": 0.6, "sales-rep": 0.25, "*": 0.05},
    },
    "python-clinic": {
        "title": "Python clinic (virtual class)",
        "modality": "virtual",
        "minutes": 90,
        "language": "en",
        "skills": ["python.pandas"],
        "interest": {"data-analyst": 0.6, "finance-officer": 0.3},
        "repeatable": True,
    },
    "sst": {
        "title": "Sauveteur secouriste du travail (SST)",
        "modality": "in-person",
        "minutes": 840,
        "language": "fr",
        "skills": ["safety.first_aid"],
        "interest": {"warehouse-operative": 0.5, "logistics-coordinator": 0.4, "*": 0.1},
    },
}

# team: (site, manager, language, {role: head count})
TEAMS = {
    "Lyon Warehouse": (
        "Lyon",
        "Marie Dupont",
        "fr",
        {"warehouse-operative": 18, "team-leader": 2, "logistics-coordinator": 2},
    ),
    "Lyon Sales": ("Lyon", "Marie Lefebvre", "fr", {"sales-rep": 14, "team-leader": 2}),
    "Lyon HR": ("Lyon", "Sophie Martin", "fr", {"hr-advisor": 9, "team-leader": 1}),
    "Lyon Finance": ("Lyon", "Nicolas Bernard", "fr", {"finance-officer": 11, "team-leader": 1}),
    "Lyon Transport": (
        "Lyon",
        "Julien Moreau",
        "fr",
        {"logistics-coordinator": 10, "warehouse-operative": 4, "team-leader": 2},
    ),
    "Manchester Warehouse": (
        "Manchester",
        "Gareth Hughes",
        "en",
        {"warehouse-operative": 20, "team-leader": 2, "logistics-coordinator": 2},
    ),
    "Manchester Analytics": (
        "Manchester",
        "Priya Shah",
        "en",
        {"data-analyst": 14, "team-leader": 2},
    ),
    "Manchester Sales": ("Manchester", "Tom Whitaker", "en", {"sales-rep": 16, "team-leader": 2}),
    "Manchester Logistics": (
        "Manchester",
        "Sarah O'Brien",
        "en",
        {"logistics-coordinator": 14, "team-leader": 2},
    ),
}

# learners whose names make the questions (and their ambiguities) possible: team, role, language
FIXED_LEARNERS = {
    "Ana Ribeiro": ("Manchester Logistics", "logistics-coordinator", "en"),
    "Luc Perrin": ("Lyon Sales", "sales-rep", "fr"),
    "Thomas Girard": ("Lyon Sales", "sales-rep", "fr"),
    "Thomas Wright": ("Manchester Analytics", "data-analyst", "en"),
    "Marie Nguyen": ("Manchester Analytics", "data-analyst", "fr"),
}
RESERVED_FIRST = {name.split()[0] for name in FIXED_LEARNERS}

FIRST = {
    "fr": "Camille Lucas Léa Julien Chloé Hugo Manon Louis Emma Nathan Inès Antoine Mathieu "
    "Élodie Pauline Maxime Claire Romain Laura Quentin Océane Baptiste Anaïs Alexandre "
    "Juliette Théo Karim Yasmine Mehdi Fatima Sébastien Aurélie Guillaume Céline Damien "
    "Nadia Florian Justine Olivier Margaux".split(),
    "en": "James Oliver Emily Jack Harry Charlotte George Amelia Daniel Hannah Ryan Chloe "
    "Liam Megan Connor Jessica Aisha Mohammed Rhys Siobhan Callum Grace Ethan Zara Lewis "
    "Niamh Owen Rebecca Kieran Laura Adam Bethany Joshua Imran Holly Declan Fiona".split(),
}
LAST = {
    "fr": "Martin Bernard Petit Durand Leroy Roux Fournier Girard Bonnet Lambert Fontaine "
    "Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel "
    "Mathieu Gautier Masson Marchand Duval Denis Lemaire Benali Haddad".split(),
    "en": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Evans Thompson "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis Harrison Ward "
    "Hughes Edwards Turner Murphy Kelly Collins Begum Ahmed Campbell Doyle Fletcher Barker".split(),
}
TRAINERS = {
    "Lyon": ["Marc Lefèvre", "Claire Dubois"],
    "Manchester": ["Owen Price", "Hannah Cole"],
    "virtual": ["Devi Rao", "Élise Martin"],
}
PLACES = {
    "Lyon": ["Lyon – salle Bellecour", "Lyon – salle Confluence", "Lyon – entrepôt Gerland"],
    "Manchester": ["Manchester – Room Piccadilly", "Manchester – Trafford warehouse"],
    "virtual": ["Microsoft Teams"],
}
