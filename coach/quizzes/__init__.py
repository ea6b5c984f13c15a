"""Quiz items: offline and LLM generation, validation before learners see them, grading.

Pure library code (no web framework, no database): the service stores items as JSON and
wires these functions into its routes.
"""

from coach.quizzes.build import QuizBuild, build_quiz
from coach.quizzes.generate import OfflineConfig, OfflineGenerator, Passage, QuizGenerator
from coach.quizzes.grade import Grade, GradingConfig, LLMRubric, grade, hint
from coach.quizzes.items import BLANK, KINDS, ItemKind, Option, QuizItem, Source
from coach.quizzes.llm import LLMGeneration, LLMQuizGenerator
from coach.quizzes.validate import (
    CHECKS,
    Rejection,
    SourcePool,
    ValidationConfig,
    ValidationReport,
    Validator,
    sources_of,
)

__all__ = [
    "BLANK",
    "CHECKS",
    "KINDS",
    "Grade",
    "GradingConfig",
    "ItemKind",
    "LLMGeneration",
    "LLMQuizGenerator",
    "LLMRubric",
    "OfflineConfig",
    "OfflineGenerator",
    "Option",
    "Passage",
    "QuizBuild",
    "QuizGenerator",
    "QuizItem",
    "Rejection",
    "Source",
    "SourcePool",
    "ValidationConfig",
    "ValidationReport",
    "Validator",
    "build_quiz",
    "grade",
    "hint",
    "sources_of",
]
