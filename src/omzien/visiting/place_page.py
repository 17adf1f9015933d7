"""The "Uitgenodigd bij ..." section of an invited place's public page (agenda's page
includes it through ``agenda.place_sections``: agenda does not import visiting)."""

from omzien.agenda.place_sections import register
from omzien.visiting.queries import invited_to


@register("visiting/_place_section.html")
def invited_section(place, today):
    invitations = list(invited_to(place, today))
    return {"invitations": invitations, "place": place} if invitations else None
