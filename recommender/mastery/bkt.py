"""Bayesian Knowledge Tracing: a two-state hidden Markov model per skill, fitted by EM.

Each skill has a prior P(known), a learn rate (unknown → known after an attempt), an optional
forget rate (known → unknown), a guess and a slip probability. EM runs on every skill at once:
the (learner, skill) sequences are sorted by length and stored time-major, so step ``t`` of
the forward and backward passes is one vector operation over the sequences still running.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_EPS = 1e-6
# Initial values, also the centre of the weak priors (pseudo-counts) of the M-step.
_INIT = {"prior": 0.4, "learn": 0.1, "forget": 0.02, "guess": 0.2, "slip": 0.1}
_MAX_GUESS_SLIP = 0.45  # keeps "known" the state that answers correctly


@dataclass(frozen=True)
class BKTParams:
    """One skill's BKT parameters."""

    prior: float = _INIT["prior"]
    learn: float = _INIT["learn"]
    forget: float = 0.0
    guess: float = _INIT["guess"]
    slip: float = _INIT["slip"]

    def p_correct(self, p_known: float) -> float:
        """P(next answer correct) when P(known) before the attempt is ``p_known``."""
        return p_known * (1.0 - self.slip) + (1.0 - p_known) * self.guess

    def step(self, p_known: float, correct: bool) -> float:
        """P(known) before the next attempt, after observing this one: O(1)."""
        hit = (1.0 - self.slip) if correct else self.slip
        miss = self.guess if correct else (1.0 - self.guess)
        known = p_known * hit / max(p_known * hit + (1.0 - p_known) * miss, _EPS)
        return known * (1.0 - self.forget) + (1.0 - known) * self.learn

    def to_list(self) -> list[float]:
        return [self.prior, self.learn, self.forget, self.guess, self.slip]

    @classmethod
    def from_list(cls, values: list[float]) -> BKTParams:
        prior, learn, forget, guess, slip = (float(v) for v in values)
        return cls(prior, learn, forget, guess, slip)


@dataclass(frozen=True)
class _Sequences:
    """(learner, skill) sequences, longest first, stored time-major and flattened."""

    obs: npt.NDArray[np.float64]  # correctness at (t, sequence), step t's block contiguous
    seq_skill: npt.NDArray[np.intp]  # skill index of each sequence
    active: npt.NDArray[np.intp]  # number of sequences still running at step t
    offsets: npt.NDArray[np.intp]  # start of step t's block in the flat arrays


def _sequences(
    user: npt.NDArray[np.intp], skill: npt.NDArray[np.intp], correct: npt.NDArray[np.int8]
) -> _Sequences:
    n_skills = int(skill.max()) + 1
    key = user.astype(np.int64) * n_skills + skill
    order = np.argsort(key, kind="stable")  # grouped by sequence, time order kept inside
    keys, seq_of_row, lengths = np.unique(key[order], return_inverse=True, return_counts=True)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    pos = np.arange(len(order)) - starts[seq_of_row]
    rank = np.empty(len(keys), dtype=np.intp)
    rank[np.argsort(-lengths, kind="stable")] = np.arange(len(keys))
    active = np.array([(lengths > t).sum() for t in range(int(lengths.max()))], dtype=np.intp)
    offsets = np.concatenate(([0], np.cumsum(active)[:-1])).astype(np.intp)
    obs = np.empty(len(order))
    obs[offsets[pos] + rank[seq_of_row]] = correct[order]
    seq_skill = np.empty(len(keys), dtype=np.intp)
    seq_skill[rank] = (keys % n_skills).astype(np.intp)
    return _Sequences(obs, seq_skill, active, offsets)


def fit_bkt(
    user: npt.NDArray[np.intp],
    skill: npt.NDArray[np.intp],
    correct: npt.NDArray[np.int8],
    n_skills: int,
    *,
    forgets: bool = True,
    iterations: int = 40,
    prior_strength: float = 5.0,
) -> list[BKTParams]:
    """EM estimates of every skill's parameters from integer-coded attempts (time-ordered).

    ``prior_strength`` pseudo-attempts pull rarely seen skills towards the initial values.
    """
    if len(correct) == 0:
        return [BKTParams(forget=_INIT["forget"] if forgets else 0.0)] * n_skills
    seqs = _sequences(user, skill, correct)
    par = {k: np.full(n_skills, v) for k, v in _INIT.items()}
    if not forgets:
        par["forget"][:] = 0.0
    n_obs = len(seqs.obs)
    flat_skill = np.empty(n_obs, dtype=np.intp)
    for t, n in enumerate(seqs.active):
        flat_skill[seqs.offsets[t] : seqs.offsets[t] + n] = seqs.seq_skill[:n]
    pred = np.empty(n_obs)  # P(known) before the attempt
    filt = np.empty(n_obs)  # P(known) after seeing it
    gamma = np.empty(n_obs)  # P(known) given the whole sequence
    xi_learn = np.zeros(n_obs)  # expected unknown → known transitions after the attempt
    xi_forget = np.zeros(n_obs)
    for _ in range(iterations):
        p = {k: v[seqs.seq_skill] for k, v in par.items()}  # per-sequence parameters
        belief = p["prior"].copy()
        for t, n in enumerate(seqs.active):
            sl = slice(seqs.offsets[t], seqs.offsets[t] + n)
            c, k = seqs.obs[sl], belief[:n]
            hit = np.where(c == 1, 1.0 - p["slip"][:n], p["slip"][:n])
            miss = np.where(c == 1, p["guess"][:n], 1.0 - p["guess"][:n])
            pred[sl] = k
            f = k * hit / (k * hit + (1.0 - k) * miss)
            filt[sl] = f
            belief = np.clip(
                f * (1.0 - p["forget"][:n]) + (1.0 - f) * p["learn"][:n], _EPS, 1 - _EPS
            )
        # Backward: smoothed P(known) and expected transitions, from the end of each sequence.
        nxt = np.empty(0)
        for t in range(len(seqs.active) - 1, -1, -1):
            n, n_next = seqs.active[t], (seqs.active[t + 1] if t + 1 < len(seqs.active) else 0)
            sl = slice(seqs.offsets[t], seqs.offsets[t] + n)
            f = filt[sl]
            g = f.copy()  # sequences ending at t keep the filtered value
            if n_next:
                f_c = f[:n_next]
                k_next = pred[seqs.offsets[t + 1] : seqs.offsets[t + 1] + n_next]
                up, down = nxt / k_next, (1.0 - nxt) / (1.0 - k_next)
                learn, forget = p["learn"][:n_next], p["forget"][:n_next]
                xi_l = (1.0 - f_c) * learn * up
                xi_f = f_c * forget * down
                g[:n_next] = xi_f + f_c * (1.0 - forget) * up
                xi_learn[sl][:n_next], xi_forget[sl][:n_next] = xi_l, xi_f
                xi_learn[sl][n_next:], xi_forget[sl][n_next:] = 0.0, 0.0
            else:
                xi_learn[sl], xi_forget[sl] = 0.0, 0.0
            gamma[sl] = g
            nxt = g
        par = _m_step(seqs, flat_skill, gamma, xi_learn, xi_forget, n_skills, prior_strength)
        if not forgets:
            par["forget"][:] = 0.0
    return [
        BKTParams(*(float(par[k][i]) for k in ("prior", "learn", "forget", "guess", "slip")))
        for i in range(n_skills)
    ]


def _m_step(
    seqs: _Sequences,
    flat_skill: npt.NDArray[np.intp],
    gamma: npt.NDArray[np.float64],
    xi_learn: npt.NDArray[np.float64],
    xi_forget: npt.NDArray[np.float64],
    n_skills: int,
    strength: float,
) -> dict[str, npt.NDArray[np.float64]]:
    def total(w: npt.NDArray[np.float64], idx: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        return np.bincount(idx, weights=w, minlength=n_skills).astype(np.float64)

    def ratio(
        num: npt.NDArray[np.float64], den: npt.NDArray[np.float64], name: str
    ) -> npt.NDArray[np.float64]:
        return (num + strength * _INIT[name]) / (den + strength)

    has_next = np.zeros(len(gamma), dtype=bool)  # attempts followed by another on the skill
    for t in range(len(seqs.active) - 1):
        has_next[seqs.offsets[t] : seqs.offsets[t] + seqs.active[t + 1]] = True
    known, unknown = gamma, 1.0 - gamma
    n0 = seqs.active[0]
    first = total(gamma[:n0], seqs.seq_skill)
    return {
        "prior": np.clip(ratio(first, total(np.ones(n0), seqs.seq_skill), "prior"), 0.01, 0.99),
        "learn": np.clip(
            ratio(total(xi_learn, flat_skill), total(unknown * has_next, flat_skill), "learn"),
            _EPS,
            0.99,
        ),
        "forget": np.clip(
            ratio(total(xi_forget, flat_skill), total(known * has_next, flat_skill), "forget"),
            0.0,
            0.99,
        ),
        "guess": np.clip(
            ratio(total(unknown * seqs.obs, flat_skill), total(unknown, flat_skill), "guess"),
            0.01,
            _MAX_GUESS_SLIP,
        ),
        "slip": np.clip(
            ratio(total(known * (1 - seqs.obs), flat_skill), total(known, flat_skill), "slip"),
            0.01,
            _MAX_GUESS_SLIP,
        ),
    }
