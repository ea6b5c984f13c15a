"""Recommender library: learner model, skills graph, path builder, review rules (issue 5)."""
