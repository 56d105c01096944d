"""Evaluation commands: ``python -m timeline.evaluate tempeval DIR...`` and ``... tls SYSTEM GOLD``."""
