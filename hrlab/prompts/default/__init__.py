"""Prompt variant "default": the shipped interviewer texts (en.toml, ru.toml)."""
