"""The hold-out group: a random share of learners, drawn within each team, gets no nudges.

Stratified systematic sampling: within a team, learners are put in a random order (a
hash of the seed and their id) and position ``k`` is held out when
``floor(share·(k+1) + u) > floor(share·k + u)``, ``u`` a random offset per team. Every
team then holds out ``share`` of its members to within one person, whatever its size, and
a learner who joins later takes the next position: earlier draws never change (stable),
and the draw is recorded, so the effect measurement reads who was in which group.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Draw:
    user_id: str
    team: str
    position: int
    holdout: bool


def _unit(*parts: object) -> float:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def held_out(position: int, *, share: float, offset: float) -> bool:
    """Whether the learner at ``position`` of a team's draw order is held out."""
    return math.floor(share * (position + 1) + offset) > math.floor(share * position + offset)


def draw(
    teams: Mapping[str, Sequence[str]],
    *,
    recorded: Mapping[str, int],
    share: float,
    seed: int,
) -> list[Draw]:
    """Draws for the learners of ``teams`` (team → user ids) not drawn yet.

    Args:
        teams: the organisation's learners by team.
        recorded: per team, how many learners were already drawn (the next position).
        share: the hold-out share (0 holds out nobody).
        seed: the organisation's ``holdout_seed``.
    """
    out: list[Draw] = []
    for team, users in sorted(teams.items()):
        offset = _unit(seed, "team", team)
        start = recorded.get(team, 0)
        fresh = sorted(users, key=lambda u: (_unit(seed, "user", u), u))
        for n, user in enumerate(fresh):
            k = start + n
            out.append(Draw(user, team, k, held_out(k, share=share, offset=offset)))
    return out
