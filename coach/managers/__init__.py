"""Managers in the loop: the organisation chart, what a manager may see of their reports,
goals they propose, and on-the-job application confirmations (see docs/managers.md)."""
