"""The golden-set suite: answers, quizzes and paths, release gates, a JSON summary and an
HTML report (``blendcoach eval``)."""

from evals.suite.gates import GateResult, SuiteGates, evaluate
from evals.suite.runner import SUITES, SuiteRun, run_suites

__all__ = ["SUITES", "GateResult", "SuiteGates", "SuiteRun", "evaluate", "run_suites"]
