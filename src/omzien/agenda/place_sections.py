"""Sections that apps above agenda add to a place's public page, without agenda importing
them (the layers): an app registers a function ``(place, today) -> dict | None`` with the
template that renders it (e.g. visiting's "Uitgenodigd bij ..."). The page includes each
section whose function gave a context. A section reads only, like the page."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

_SECTIONS: list[tuple[str, Callable]] = []


@dataclass(frozen=True)
class Section:
    template: str
    context: dict


def register(template: str):
    """Decorate the function that gives the section's context (None: nothing to show)."""

    def decorate(function):
        if (template, function) not in _SECTIONS:
            _SECTIONS.append((template, function))
        return function

    return decorate


def sections_for(place, today: date) -> list[Section]:
    found = ((template, function(place, today)) for template, function in _SECTIONS)
    return [Section(template, context) for template, context in found if context]
