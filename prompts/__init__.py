"""Prompt files shipped as package data (loaded strictly; first prompts arrive with issue 3)."""
