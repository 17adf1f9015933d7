"""Writes of the dorpenplatform: evenings, attendance counts, lessons, actions, follow-ups.

Every function takes ``acting_user``, asks ``accounts.permissions`` (`NotFound` for what is
out of reach, as for what does not exist), validates everything before it writes (a
`ValidationError` with a Dutch message changes nothing), runs in a transaction and writes
the audit row. Nothing here names a resident: counts, practices and agreements only.
"""

from dataclasses import dataclass, field
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.places.models import Place, Region
from omzien.villageplatform.models import (
    AGENDA_MAX_LENGTH,
    MAX_COUNT,
    NOTE_MAX_LENGTH,
    PRACTICE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Action,
    Evening,
    EveningAttendance,
    FollowUp,
    Lesson,
    Tag,
)

C = Capability.VILLAGE_PLATFORM


def _audit(acting_user, action, subject: str, obj, detail: str = "") -> None:
    record(acting_user, action, subject, detail=f"#{obj.pk} {detail}".strip())


def _text(value, limit: int, label: str, *, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Please fill in “%(label)s”.") % {"label": label})
    if len(value) > limit:
        raise ValidationError(
            _("Please keep “%(label)s” under %(count)d characters.")
            % {"label": label, "count": limit}
        )
    return value


def _require_organiser(acting_user) -> None:
    if not permissions.may_organise_evenings(acting_user):
        raise permissions.NotFound


# --- Evenings --------------------------------------------------------------------------------


@dataclass
class EveningPlan:
    """What an evening is (the form's cleaned data)."""

    region: Region | None
    title: str
    date: date | None
    start_time: time | None
    end_time: time | None
    host_place: Place | None = None
    location: str = ""
    agenda: str = ""

    def clean(self) -> None:
        if self.region is None:
            raise ValidationError(_("Choose the region."))
        self.title = _text(self.title, TITLE_MAX_LENGTH, _("Title"), required=True)
        if self.date is None or self.start_time is None or self.end_time is None:
            raise ValidationError(_("Give the date, the start time and the end time."))
        if self.end_time <= self.start_time:
            raise ValidationError(_("The evening must end after it starts."))
        self.location = _text(self.location, 200, _("Location"))
        self.agenda = _text(self.agenda, AGENDA_MAX_LENGTH, _("Agenda"))
        if self.host_place is not None:
            if self.host_place.village.region_id != self.region.pk:
                raise ValidationError(_("The meeting place is not in this region."))
            self.location = ""
        elif not self.location:
            raise ValidationError(
                _("Choose the meeting place, or say where it is (e.g. the town hall).")
            )

    def fields(self) -> dict:
        return {
            "region": self.region,
            "title": self.title,
            "date": self.date,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "host_place": self.host_place,
            "location": self.location,
            "agenda": self.agenda,
        }


def _check_actions_still_fit(evening: Evening) -> None:
    """Moving an evening later must not put its actions' due dates before it."""
    if evening.pk and evening.actions.filter(due_date__lt=evening.date).exists():
        raise ValidationError(
            _("Some actions of this evening are due before the new date: change those first.")
        )


@transaction.atomic
def save_evening(plan: EveningPlan, *, acting_user, evening: Evening | None = None) -> Evening:
    """A new evening, or a change to one: for those who organise evenings."""
    _require_organiser(acting_user)
    plan.clean()
    creating = evening is None
    if creating:
        evening = Evening(organised_by=permissions.as_recorder(acting_user))
    else:
        evening = Evening.objects.select_for_update().get(pk=evening.pk)
    for name, value in plan.fields().items():
        setattr(evening, name, value)
    _check_actions_still_fit(evening)
    evening.save()
    action = AuditEvent.Action.CREATE if creating else AuditEvent.Action.CHANGE
    _audit(acting_user, action, "village platform evening", evening)
    return evening


@transaction.atomic
def delete_evening(evening: Evening, *, acting_user) -> None:
    """The evening with its counts, actions and follow-ups; its lessons stay (without it)."""
    _require_organiser(acting_user)
    _audit(acting_user, AuditEvent.Action.DELETE, "village platform evening", evening)
    evening.delete()


# --- Attendance ------------------------------------------------------------------------------


def attendance_places(evening: Evening, acting_user):
    """The places of the evening's region whose count the user may record."""
    return (
        permissions.places_for_user(acting_user, C)
        .filter(village__region=evening.region_id)
        .order_by("name")
    )


@transaction.atomic
def record_attendance(evening: Evening, counts: dict, *, acting_user) -> int:
    """Counts per place (place id -> number, or None: not known, removes a count); only for
    places where the user has the capability, in the evening's region. All or nothing."""
    permissions.require(acting_user, C)
    allowed = {place.pk: place for place in attendance_places(evening, acting_user)}
    for place_id, count in counts.items():
        if place_id not in allowed:
            raise permissions.NotFound
        if count is not None and not 0 <= count <= MAX_COUNT:
            raise ValidationError(
                _("A number of people is between 0 and %(max)d.") % {"max": MAX_COUNT}
            )
    changed = 0
    for place_id, count in counts.items():
        if count is None:
            changed += EveningAttendance.objects.filter(
                evening=evening, place_id=place_id
            ).delete()[0]
            continue
        EveningAttendance.objects.update_or_create(
            evening=evening, place_id=place_id, defaults={"count": count}
        )
        changed += 1
    places = ", ".join(str(place_id) for place_id in sorted(counts))
    _audit(acting_user, AuditEvent.Action.CHANGE, "village platform attendance", evening, places)
    return changed


# --- Lessons ("wat werkt") -----------------------------------------------------------------


@dataclass
class Practice:
    """A lesson's content (the form's cleaned data)."""

    title: str
    practice: str
    place: Place | None
    evening: Evening | None = None
    tags: list[Tag] = field(default_factory=list)
    new_tag: str = ""

    def clean(self) -> None:
        self.title = _text(self.title, TITLE_MAX_LENGTH, _("Title"), required=True)
        self.practice = _text(
            self.practice, PRACTICE_MAX_LENGTH, _("What did you do?"), required=True
        )
        if self.place is None:
            raise ValidationError(_("Choose the meeting place that tried it."))
        if self.evening is not None and self.evening.region_id != self.place.village.region_id:
            raise ValidationError(_("That evening was in another region."))
        self.new_tag = _text(self.new_tag, 50, _("New tag"))
        if self.new_tag and not slugify(self.new_tag):
            raise ValidationError(_("A tag needs letters or digits."))


def _with_new_tag(practice: Practice) -> list[Tag]:
    tags = list(practice.tags)
    if practice.new_tag:
        tag, _created = Tag.objects.get_or_create(
            slug=slugify(practice.new_tag)[:50], defaults={"name": practice.new_tag.lower()}
        )
        tags.append(tag)
    return tags


def _require_lesson_place(acting_user, place: Place) -> None:
    """A lesson is written for a place where the user has the capability."""
    permissions.require(acting_user, C, place)


@transaction.atomic
def add_lesson(practice: Practice, *, acting_user) -> Lesson:
    permissions.require(acting_user, C)
    practice.clean()
    _require_lesson_place(acting_user, practice.place)
    lesson = Lesson.objects.create(
        title=practice.title,
        practice=practice.practice,
        place=practice.place,
        evening=practice.evening,
        created_by=permissions.as_recorder(acting_user),
    )
    lesson.tags.set(_with_new_tag(practice))
    _audit(acting_user, AuditEvent.Action.CREATE, "lesson", lesson)
    return lesson


def _editable(acting_user, lesson: Lesson) -> Lesson:
    found = permissions.editable_lessons(acting_user).select_for_update().filter(pk=lesson.pk)
    found = found.first()
    if found is None:
        raise permissions.NotFound
    return found


@transaction.atomic
def change_lesson(lesson: Lesson, practice: Practice, *, acting_user) -> Lesson:
    """Only who may edit it (`permissions.may_edit_lesson`); moved to another place only
    where the user has the capability."""
    lesson = _editable(acting_user, lesson)
    practice.clean()
    if practice.place.pk != lesson.place_id:
        _require_lesson_place(acting_user, practice.place)
    lesson.title, lesson.practice = practice.title, practice.practice
    lesson.place, lesson.evening = practice.place, practice.evening
    lesson.save()
    lesson.tags.set(_with_new_tag(practice))
    _audit(acting_user, AuditEvent.Action.CHANGE, "lesson", lesson)
    return lesson


@transaction.atomic
def delete_lesson(lesson: Lesson, *, acting_user) -> None:
    lesson = _editable(acting_user, lesson)
    _audit(acting_user, AuditEvent.Action.DELETE, "lesson", lesson)
    lesson.delete()


# --- Actions and their follow-up -------------------------------------------------------------


@dataclass
class Agreement:
    """An action's content (the form's cleaned data)."""

    description: str
    due_date: date | None
    owner_place: Place | None = None
    owner_name: str = ""
    status: str = Action.Status.OPEN

    def clean(self, evening: Evening) -> None:
        self.description = _text(self.description, 300, _("What"), required=True)
        self.owner_name = _text(self.owner_name, 100, _("Taken on by"))
        if self.owner_place is None and not self.owner_name:
            raise ValidationError(_("Say who takes it on: a meeting place or a name."))
        if self.owner_place is not None and self.owner_place.village.region_id != (
            evening.region_id
        ):
            raise ValidationError(_("The meeting place is not in this region."))
        if self.due_date is None:
            raise ValidationError(_("Give the date it should be done by."))
        if self.due_date < evening.date:
            raise ValidationError(_("The due date cannot be before the evening."))
        if self.status not in Action.Status.values:
            raise ValidationError(_("Choose one of the states shown."))


@transaction.atomic
def add_action(evening: Evening, agreement: Agreement, *, acting_user) -> Action:
    _require_organiser(acting_user)
    agreement.clean(evening)
    action = Action.objects.create(
        evening=evening,
        description=agreement.description,
        owner_place=agreement.owner_place,
        owner_name=agreement.owner_name,
        due_date=agreement.due_date,
        status=agreement.status,
        created_by=permissions.as_recorder(acting_user),
    )
    _audit(acting_user, AuditEvent.Action.CREATE, "village platform action", action)
    return action


@transaction.atomic
def change_action(action: Action, agreement: Agreement, *, acting_user) -> Action:
    _require_organiser(acting_user)
    action = Action.objects.select_for_update().get(pk=action.pk)
    agreement.clean(action.evening)
    action.description, action.due_date = agreement.description, agreement.due_date
    action.owner_place, action.owner_name = agreement.owner_place, agreement.owner_name
    action.status = agreement.status
    action.save()
    _audit(acting_user, AuditEvent.Action.CHANGE, "village platform action", action)
    return action


@transaction.atomic
def delete_action(action: Action, *, acting_user) -> None:
    _require_organiser(acting_user)
    _audit(acting_user, AuditEvent.Action.DELETE, "village platform action", action)
    action.delete()


@transaction.atomic
def record_follow_up(
    action: Action, evening: Evening | None, note: str, status: str, *, acting_user
) -> FollowUp:
    """What became of the action, noted at a later evening; sets the action's status."""
    if not permissions.may_follow_up_action(acting_user, action):
        raise permissions.NotFound
    action = Action.objects.select_for_update().select_related("evening").get(pk=action.pk)
    note = _text(note, NOTE_MAX_LENGTH, _("Follow-up"), required=True)
    if evening is None:
        raise ValidationError(_("Choose the evening where it was followed up."))
    if evening.region_id != action.evening.region_id or evening.date <= action.evening.date:
        raise ValidationError(_("A follow-up is recorded at a later evening."))
    if status not in Action.Status.values:
        raise ValidationError(_("Choose one of the states shown."))
    follow_up = FollowUp.objects.create(
        action=action,
        evening=evening,
        note=note,
        status=status,
        recorded_by=permissions.as_recorder(acting_user),
    )
    action.status = status
    action.save(update_fields=["status"])
    _audit(acting_user, AuditEvent.Action.CREATE, "village platform follow-up", action)
    return follow_up
