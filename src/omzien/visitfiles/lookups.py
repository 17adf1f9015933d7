"""Names in a visit file to database ids, and back: villages, places, activities, people.

A village, place or activity may be written by its name or its slug, ignoring case and
accents ("de benring", "De Benring" and "de-benring" are the same place). The export
writes the name, or the slug where the name alone would not find the same thing back,
so whatever the export writes, the import reads as the same object.
"""

import difflib
from collections import defaultdict

from omzien.agenda.models import Activity
from omzien.people.models import normalise_for_search
from omzien.places.models import Place, Village

AMBIGUOUS = -1


class NameIndex:
    """Finds one of a set of objects by its slug or its name."""

    def __init__(self, items):
        self.by_slug: dict[str, int] = {}
        by_name: dict[str, set[int]] = defaultdict(set)
        self.names: dict[int, str] = {}
        self.slugs: dict[int, str] = {}
        for pk, name, slug in items:
            self.by_slug[slug.casefold()] = pk
            by_name[normalise_for_search(name)].add(pk)
            self.names[pk] = name
            self.slugs[pk] = slug
        self.by_name = {
            key: next(iter(ids)) if len(ids) == 1 else AMBIGUOUS for key, ids in by_name.items()
        }
        self._labels: dict[int, str] = {}

    def find(self, text: str) -> int | None:
        """The id, AMBIGUOUS when the name is shared, None when nothing is called so."""
        pk = self.by_slug.get(text.casefold())
        if pk is not None:
            return pk
        return self.by_name.get(normalise_for_search(text))

    def candidates(self, text: str) -> list[int]:
        key = normalise_for_search(text)
        return sorted(pk for pk, name in self.names.items() if normalise_for_search(name) == key)

    def suggestion(self, text: str) -> str | None:
        """The name closest to a misspelt one ('De Benrink' -> 'De Benring'), if any."""
        names = {normalise_for_search(name): name for name in self.names.values()}
        close = difflib.get_close_matches(normalise_for_search(text), list(names), n=1, cutoff=0.75)
        return names[close[0]] if close else None

    def label(self, pk: int) -> str:
        """What the export writes: the name, unless the name finds another (or no) object."""
        label = self._labels.get(pk)
        if label is None:
            name = self.names[pk]
            label = name if self.find(name) == pk else self.slugs[pk]
            self._labels[pk] = label
        return label


class Directory:
    """Every village, place and activity of the installation, indexed by name and slug."""

    def __init__(self):
        self.villages = NameIndex(Village.objects.values_list("pk", "name", "slug"))
        self.places = NameIndex(Place.objects.values_list("pk", "name", "slug"))
        self.activities: dict[int, Activity] = {}
        per_place = defaultdict(list)
        for activity in Activity.objects.order_by("pk"):
            self.activities[activity.pk] = activity
            per_place[activity.place_id].append((activity.pk, activity.title, activity.slug))
        self.activities_at = {place: NameIndex(items) for place, items in per_place.items()}
        self._empty = NameIndex([])

    def activity_index(self, place_id: int) -> NameIndex:
        return self.activities_at.get(place_id, self._empty)
