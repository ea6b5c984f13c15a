"""Hand-off to a human: detecting when a person should take over, offering the right one,
and the consented summary that goes to them (see docs/handoff.md)."""
