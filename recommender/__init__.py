"""Recommender library: learner model, skills graph, path builder, review rules (issue 5).

- ``recommender.mastery``: knowledge tracing (per-skill mastery).
- ``recommender.model`` / ``recommender.catalog`` / ``recommender.records``: the data model,
  the checked catalog (unknown references, prerequisite cycles) and row loaders with
  per-row problems; ``recommender.demo`` loads the Northwind demo.
- ``recommender.paths``: gap analysis, candidates, dated paths with reasons, ``diff_paths``
  and ``validate_path`` for the review workflow.
"""
