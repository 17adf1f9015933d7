"""``{% help_given_and_received person %}``: the help part of a person's page at the door.

A tag, so the door's template (attendance, a lower app) shows it without importing helping.
"""

from django import template

from omzien.helping import queries

register = template.Library()


@register.inclusion_tag("helping/_given_received.html", takes_context=True)
def help_given_and_received(context, person):
    return {
        **queries.given_and_received(person),
        "person": person,
        "may_record_feedback": True,
    }
