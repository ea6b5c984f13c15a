"""Responders: the offline extractive one, the LLM one, and their shared grounding."""
