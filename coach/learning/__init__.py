"""Learning: quizzes served and graded, mastery tracked, reviews scheduled (composes
:mod:`coach.quizzes`, :mod:`recommender.mastery` and storage)."""
