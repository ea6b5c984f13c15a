"""Content gap insights for L&D: what learners ask that the courses do not cover (topics),
content nobody uses or likes, and quiz items whose statistics look wrong."""
