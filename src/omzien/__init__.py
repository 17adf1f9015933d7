"""Omzien: software for a network of local meeting places (ontmoetingsplekken)."""

__version__ = "0.1.0"
