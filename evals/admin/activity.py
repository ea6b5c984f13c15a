"""The generated organisation's activity: enrolments, sign-offs and learning records.

Drawn per learner from hidden traits (ability, profile, dates active) so that the figures
have realistic variety: mandatory training completed, due, overdue (never done or expired)
and not assigned; electives started and dropped; pre-/post-tests; sessions full with a
waiting list; enrolled learners who never signed. A few states are forced so that the
questions the templates ask are answerable (see :meth:`Activity._forced`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from evals.admin import org
from evals.admin.draws import Draws, interest, rule
from evals.admin.periods import last_weekday

if TYPE_CHECKING:
    from evals.admin.generate import Person, Sess

COMPLETE = {"dormant": 0.0, "lapsed": 0.5, "normal": 0.65, "keen": 0.85}
QUIZZES = {"dormant": 0, "lapsed": 4, "normal": 7, "keen": 14}


class Activity(Draws):
    """Draws everything that happens to the learners; ``run`` fills the row lists."""

    # e-learning ------------------------------------------------------------------------

    def _mandatory(self, p: Person, item_id: str, renewal: int | None) -> None:
        lo, hi = self._window(p)
        rng = self.rng
        if renewal:  # completions may predate the horizon, so some have expired
            lo = max(p.start, self.today - timedelta(days=renewal + 150))
        done = self._between(lo, hi) if rng.random() < 0.78 else None
        prepost = org.ITEMS[item_id].get("prepost")
        if done is not None:
            enrolled = done - timedelta(days=rng.randint(3, 40))
            self._enrol(p, item_id, enrolled, due_on=enrolled + timedelta(days=30))
            if prepost and rng.random() < 0.85:
                pre = self._score(p.ability - 0.25)
                self._record(
                    p,
                    "quiz",
                    max(enrolled, p.start),
                    item_id=item_id,
                    score=pre,
                    phase="pre",
                    minutes=self._minutes(10),
                )
                post = round(min(1.0, pre + max(0.0, rng.gauss(0.22, 0.1))), 2)
                self._record(
                    p,
                    "quiz",
                    done,
                    item_id=item_id,
                    score=post,
                    phase="post",
                    minutes=self._minutes(10),
                )
            self._elearning_done(p, item_id, done)
            previous = done - timedelta(days=(renewal or 0) + rng.randint(5, 40))
            if renewal and previous >= p.start and rng.random() < 0.35:
                self._elearning_done(p, item_id, previous)
            return
        assigned = self._between(max(p.start, self.today - timedelta(days=300)), self.today)
        if assigned is None:
            return
        draw = rng.random()
        due = assigned + timedelta(days=45)
        if draw < 0.6:
            self._enrol(p, item_id, assigned, due_on=due)
            if prepost and rng.random() < 0.4 and assigned <= hi:
                self._record(
                    p,
                    "quiz",
                    assigned,
                    item_id=item_id,
                    score=self._score(p.ability - 0.25),
                    phase="pre",
                )
        elif draw < 0.72:
            self._enrol(p, item_id, assigned)  # no due date: not assigned
        elif draw < 0.82:
            self._enrol(p, item_id, assigned, status="cancelled", due_on=due)

    def _elective(self, p: Person, item_id: str) -> None:
        lo, hi = self._window(p)
        rng = self.rng
        if rng.random() >= interest(item_id, p.role):
            if rng.random() < 0.03 and (day := self._between(lo, hi)):
                self._elearning_done(p, item_id, day)  # self-directed, never enrolled
            return
        enrolled = self._between(lo, hi - timedelta(days=5))
        if enrolled is None:
            return
        if rng.random() < 0.06:
            self._enrol(p, item_id, enrolled, status="cancelled")
            return
        self._enrol(p, item_id, enrolled)
        pre = None
        if org.ITEMS[item_id].get("prepost") and rng.random() < 0.85:
            pre = self._score(p.ability - 0.3)
            self._record(
                p,
                "quiz",
                enrolled,
                item_id=item_id,
                score=pre,
                phase="pre",
                minutes=self._minutes(12),
            )
        done = enrolled + timedelta(days=rng.randint(7, 120))
        finished = done <= hi and rng.random() < COMPLETE[p.profile]
        for _ in range(rng.randint(0, 3)):  # module quizzes along the way
            if day := self._between(enrolled, min(done, hi)):
                self._record(
                    p,
                    "quiz",
                    day,
                    item_id=item_id,
                    score=self._score(p.ability),
                    minutes=self._minutes(8),
                )
        if not finished:
            return
        self._elearning_done(p, item_id, done)
        if pre is not None and rng.random() < 0.9:
            post = round(min(1.0, pre + max(-0.05, rng.gauss(0.25, 0.12))), 2)
            self._record(
                p,
                "quiz",
                done,
                item_id=item_id,
                score=post,
                phase="post",
                minutes=self._minutes(12),
            )
            retake = done + timedelta(days=rng.randint(1, 12))
            if rng.random() < 0.12 and retake <= hi:
                self._record(
                    p,
                    "quiz",
                    retake,
                    item_id=item_id,
                    phase="post",
                    score=round(min(1.0, post + 0.1), 2),
                    minutes=self._minutes(12),
                )

    # live sessions ---------------------------------------------------------------------

    def _old_live(self, p: Person, item_id: str, renewal: int | None) -> None:
        """A completion from before the catalog's sessions (no enrolment row), else, mostly,
        the mandatory item assigned with a due date (an item-level enrolment: session
        enrolments never carry one, so "their enrolment in the item" is never in doubt)."""
        lo = max(p.start, self.today - timedelta(days=(renewal or 365) + 120))
        hi = min(p.until, self.today - timedelta(days=125))
        if self.rng.random() < 0.7 and (day := self._between(lo, hi)):
            minutes = org.ITEMS[item_id]["minutes"]
            self._record(p, "attendance", day, item_id=item_id, attended="true", minutes=minutes)
            self._complete(p, item_id, day)
        elif self.rng.random() < 0.75:
            start = max(p.start, self.today - timedelta(days=200))
            if on := self._between(start, self.today - timedelta(days=1)):
                self._enrol(p, item_id, on, due_on=on + timedelta(days=60))

    def _needs(self, p: Person, item_id: str, day: date) -> int:
        mandatory, renewal = rule(item_id, p.role)
        if not mandatory:
            return 0
        last = self.last_done.get((p.id, item_id))
        return int(last is None or (renewal is not None and last + timedelta(renewal) < day))

    def _fill(
        self, sess: Sess, first_future: bool, forced: list[Person]
    ) -> tuple[list[Person], list[Person]]:
        rng = self.rng
        ok = [
            p
            for p in self.people
            if p.profile != "dormant"
            and p.start <= sess.day - timedelta(days=10)
            and sess.site in ("virtual", p.site)
            and (
                self._needs(p, sess.item_id, sess.day)
                or rng.random() < interest(sess.item_id, p.role)
            )
            and p.id not in self._placed[sess.item_id]
            and p not in forced
            and p.name not in self._kept_out.get(sess.item_id, ())
        ]
        rng.shuffle(ok)
        ok.sort(key=lambda p: -self._needs(p, sess.item_id, sess.day))
        ahead = (sess.day - self.today).days
        full = not first_future and ahead < 40 and rng.random() < (0.5 if ahead > 0 else 0.35)
        low, high = (0.55, 0.95) if ahead < 21 else (0.3, 0.8) if ahead < 56 else (0.05, 0.4)
        if full and len(forced) + len(ok) <= sess.seats:  # a smaller room, so it fills up
            sess.seats = max(len(forced) + len(ok) - rng.randint(1, 2), 4)
        target = sess.seats if full else round(sess.seats * rng.uniform(low, high))
        drawn = max(target - len(forced), 0)
        enrolled = forced + ok[:drawn]
        waiting = ok[drawn:][: rng.randint(1, 4) if full else 0]
        cancelled = ok[drawn + len(waiting) :][: rng.randint(0, 2)]
        for status, group in (
            ("enrolled", enrolled),
            ("waitlisted", waiting),
            ("cancelled", cancelled),
        ):
            for p in group:
                on = sess.day - timedelta(days=rng.randint(10, 60))
                on = min(on, self.today - timedelta(days=1))
                self._enrol(p, sess.item_id, on, session_id=sess.id, status=status)
        if not org.ITEMS[sess.item_id].get("repeatable"):
            self._placed[sess.item_id] |= {p.id for p in enrolled}
        return enrolled, waiting

    def _sign(
        self, sess: Sess, enrolled: list[Person], waiting: list[Person], missing: set[str]
    ) -> None:
        rng = self.rng
        if waiting and rng.random() < 0.5:
            enrolled = [*enrolled, waiting[0]]  # a walk-in from the waiting list signs too
        draws = {p.id: rng.random() for p in enrolled}
        if len(enrolled) > 1 and all(d < 0.8 for d in draws.values()):
            draws[rng.choice(enrolled).id] = 0.95  # every past session has someone unsigned
        minutes = org.ITEMS[sess.item_id]["minutes"]
        for p in enrolled:
            if p.name in missing or sess.day > p.until or draws[p.id] >= 0.88:
                continue  # no sign-off row at all
            signed = draws[p.id] < 0.8
            at = sess.start + timedelta(minutes=rng.randint(-10, 25)) if signed else None
            self.attendance.append(
                {
                    "session_id": sess.id,
                    "learner_id": p.id,
                    "signed": "true" if signed else "false",
                    "signed_at": at.isoformat() if at else None,
                }
            )
            self._record(
                p,
                "attendance",
                sess.day,
                item_id=sess.item_id,
                attended="true" if signed else "false",
                minutes=minutes if signed else None,
            )
            if signed:
                self._complete(p, sess.item_id, sess.day)

    def _forced(self) -> dict[str, tuple[list[str], set[str]]]:
        """Session id: learners enrolled whatever the draw, and who of them never signed."""
        tuesday = last_weekday(self.today, 1)
        out = {}
        for s in self.sessions:
            if s.item_id == "gdpr-workshop" and s.day == tuesday:
                names = ["Thomas Girard", "Thomas Wright", "Luc Perrin"]
                out[s.id] = (names, set(names))
        return out

    # the whole run ---------------------------------------------------------------------

    def run(self) -> Activity:
        """Draw everything, in an order that never depends on set or dict hashing."""
        for p in self.people:
            for item_id, spec in org.ITEMS.items():
                mandatory, renewal = rule(item_id, p.role)
                if spec["modality"] != "e-learning":
                    if mandatory:
                        self._old_live(p, item_id, renewal)
                elif mandatory:
                    self._mandatory(p, item_id, renewal)
                else:
                    self._elective(p, item_id)
        forced = self._forced()
        by_name = {p.name: p for p in self.people}
        seen_future: set[str] = set()
        for sess in self.sessions:
            first_future = sess.day > self.today and sess.item_id not in seen_future
            if sess.day > self.today:
                seen_future.add(sess.item_id)
            names, missing = forced.get(sess.id, ([], set()))
            enrolled, waiting = self._fill(sess, first_future, [by_name[n] for n in names])
            if sess.day < self.today:
                self._sign(sess, enrolled, waiting, missing)
        for p in self.people:
            self._skill_quizzes(p)
        return self

    def _skill_quizzes(self, p: Person) -> None:
        lo, hi = self._window(p)
        skills = org.ROLES[p.role][1]
        count = round(QUIZZES[p.profile] * self.rng.uniform(0.5, 1.5))
        for _ in range(count):
            day = self._between(lo, hi)
            if day is None:
                return
            pool = skills if self.rng.random() < 0.7 else list(org.SKILLS)
            skill = self.rng.choice(pool)
            self._record(
                p,
                "quiz",
                day,
                skill=skill,
                score=self._score(p.ability, 0.16),
                minutes=self._minutes(8),
            )

    # output ----------------------------------------------------------------------------
