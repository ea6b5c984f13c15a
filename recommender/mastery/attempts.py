"""A long-format table of graded attempts: one row per answer, in time order per learner."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Attempts:
    """Attempts as three aligned arrays; a learner's rows keep their time order.

    Rows of different learners may interleave: only the relative order of one learner's rows
    matters (it is the order in which they answered).
    """

    user: npt.NDArray[np.str_]
    skill: npt.NDArray[np.str_]
    correct: npt.NDArray[np.int8]

    def __post_init__(self) -> None:
        if not len(self.user) == len(self.skill) == len(self.correct):
            raise ValueError("user, skill and correct must have the same length")
        if len(self.correct) and not np.isin(self.correct, (0, 1)).all():
            raise ValueError("correct must be 0 or 1")

    def __len__(self) -> int:
        return len(self.correct)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[object, object, int | bool]]) -> Attempts:
        """Build from ``(user_id, skill, correct)`` tuples in time order per learner."""
        users: list[str] = []
        skills: list[str] = []
        correct: list[int] = []
        for user, skill, ok in rows:
            users.append(str(user))
            skills.append(str(skill))
            correct.append(int(ok))
        return cls(
            user=np.array(users, dtype=np.str_),
            skill=np.array(skills, dtype=np.str_),
            correct=np.array(correct, dtype=np.int8),
        )

    @classmethod
    def read_csv(
        cls,
        path: Path | str,
        *,
        user_col: str = "user_id",
        skill_col: str = "skill_name",
        correct_col: str = "correct",
    ) -> Attempts:
        """Read a CSV with a header naming the three columns (other columns are ignored)."""
        with Path(path).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {user_col, skill_col, correct_col} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
            return cls.from_rows(
                (row[user_col], row[skill_col], int(float(row[correct_col]))) for row in reader
            )

    def take(self, mask: npt.NDArray[np.bool_]) -> Attempts:
        """The rows where ``mask`` is true, in the same order."""
        return Attempts(self.user[mask], self.skill[mask], self.correct[mask])
