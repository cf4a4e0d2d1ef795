"""Placeholder, replaced by the real plugin shortly."""
