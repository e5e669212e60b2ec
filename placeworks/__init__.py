"""Placeworks: an open-source platform for place-based partnerships."""

__version__ = "0.1.0"
