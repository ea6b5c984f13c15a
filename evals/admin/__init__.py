"""The admin assistant's evaluation: a generated organisation, its questions and gold answers."""
