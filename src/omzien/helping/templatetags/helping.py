"""``{% help_given_and_received person %}``: the help part of a person's page at the door.

A tag, so the door's template (attendance, a lower app) shows it without importing helping.
"""

from django import template

from omzien.helping import queries

register = template.Library()


@register.inclusion_tag("helping/_given_received.html")
def help_given_and_received(person):
    return {**queries.given_and_received(person), "person": person}
