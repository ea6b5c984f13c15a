"""Learning-value checks: each a small function returning a score, a verdict and reasons.

``AnswerChecker`` runs the answer checks together (the runtime guard calls it);
``quiz_redundancy`` judges a quiz's stems.
"""

from evals.checks.answer import AnswerChecker
from evals.checks.citations import check_citations
from evals.checks.grounding import check_grounding, contradictions, support_matrix
from evals.checks.redundancy import check_redundancy, quiz_redundancy
from evals.checks.relevance import check_relevance
from evals.checks.specificity import check_specificity
from evals.checks.text import Prepared, Preparer, split_answer

__all__ = [
    "AnswerChecker",
    "Prepared",
    "Preparer",
    "check_citations",
    "check_grounding",
    "check_redundancy",
    "check_relevance",
    "check_specificity",
    "contradictions",
    "quiz_redundancy",
    "split_answer",
    "support_matrix",
]
