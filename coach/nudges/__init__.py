"""Nudges: timely reminders from each learner's path, calendar and reviews.

- :mod:`coach.nudges.candidate` — the contract: ``Candidate`` and ``Source``;
- :mod:`coach.nudges.rules` — the built-in rules (pure) over :mod:`coach.nudges.state`;
- :mod:`coach.nudges.plan` — the guard rails; :mod:`coach.nudges.holdout` — the draw;
- :mod:`coach.nudges.templates` — FR/EN texts; :mod:`coach.nudges.channels` — delivery;
- :mod:`coach.nudges.engine` — ``NudgeEngine.plan_day`` / ``deliver``;
- :mod:`coach.nudges.queue` — jobs on rq or in-process; :mod:`coach.nudges.runtime` —
  the service's sources, channels and queue from settings;
- :mod:`coach.nudges.effect` — nudged vs hold-out learners.

Nothing is imported here, so a part that only proposes candidates imports
``coach.nudges.candidate`` without the engine. See docs/nudges.md.
"""
