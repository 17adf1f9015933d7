"""What the dorpenplatform's pages read: evenings coming and past, an evening's page, the
search over lessons ("wat werkt") and the lessons per place.

The search is plain ``icontains`` (every word in the title or the practice), so SQLite and
PostgreSQL answer alike without a database's own full-text search.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.places.models import Place
from omzien.villageplatform.models import Action, Evening, Tag

MAX_RESULTS = 200


def evening_list(user) -> dict:
    today = timezone.localdate()
    evenings = permissions.evenings(user).select_related("host_place")
    evenings = evenings.annotate(people=Sum("attendance__count"))
    return {
        "coming": evenings.filter(date__gte=today).order_by("date", "start_time", "pk"),
        "past": evenings.filter(date__lt=today).order_by("-date", "-start_time", "-pk"),
    }


def _lessons(queryset):
    return queryset.select_related("place", "evening").prefetch_related("tags")


def open_earlier_actions(evening: Evening):
    """The actions of earlier evenings still open (what to follow up tonight), and those
    followed up at this evening."""
    earlier = Action.objects.filter(
        evening__region=evening.region_id, evening__date__lt=evening.date
    )
    return (
        earlier.filter(Q(status=Action.Status.OPEN) | Q(follow_ups__evening=evening))
        .distinct()
        .select_related("evening", "owner_place")
        .prefetch_related("follow_ups__evening")
        .order_by("due_date", "pk")
    )


def later_evenings(evening: Evening):
    """The evenings where an action of ``evening`` may be followed up."""
    return Evening.objects.filter(region=evening.region_id, date__gt=evening.date).order_by("date")


def evening_page(user, evening: Evening) -> dict:
    attendance = list(evening.attendance.select_related("place__village"))
    follow_ups = Prefetch(
        "follow_ups", queryset=evening.follow_ups.model.objects.select_related("evening")
    )
    actions = evening.actions.select_related("owner_place").prefetch_related(follow_ups)
    earlier = list(open_earlier_actions(evening))
    followable = set(
        permissions.followed_up_actions(user)
        .filter(pk__in=[action.pk for action in earlier])
        .values_list("pk", flat=True)
    )
    return {
        "evening": evening,
        "attendance": attendance,
        "total": sum(row.count for row in attendance),
        "lessons": _lessons(evening.lessons.all()),
        "actions": actions,
        "earlier_actions": [(action, action.pk in followable) for action in earlier],
        "organiser": permissions.may_organise_evenings(user),
        "may_record_attendance": permissions.can(user, Capability.VILLAGE_PLATFORM),
        "statuses": Action.Status.choices,
    }


@dataclass
class Search:
    text: str = ""
    tag: Tag | None = None
    place: Place | None = None

    @property
    def words(self) -> list[str]:
        return self.text.split()[:10]


def search_lessons(user, search: Search):
    lessons = permissions.lessons(user)
    for word in search.words:
        lessons = lessons.filter(Q(title__icontains=word) | Q(practice__icontains=word))
    if search.tag is not None:
        lessons = lessons.filter(tags=search.tag)
    if search.place is not None:
        lessons = lessons.filter(place=search.place)
    return _lessons(lessons.distinct())[:MAX_RESULTS]


def place_lessons(user, place: Place):
    return _lessons(permissions.lessons(user).filter(place=place))


def editable_lesson_ids(user, lessons) -> set[int]:
    ids = [lesson.pk for lesson in lessons]
    return set(permissions.editable_lessons(user).filter(pk__in=ids).values_list("pk", flat=True))
