"""Evals: metrics, the runtime guard and the golden-set runner (issue 6)."""
