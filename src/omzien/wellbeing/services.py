"""Every write of questionnaire data, and the few reads that go from a person to it.

Each function takes ``acting_user``, checks access through `accounts.permissions`, runs in
a transaction and writes the audit row. The audit log says *that* someone answered a
questionnaire or withdrew, never a score; answers are written against the pseudonym, and
the rows that name the person (the consent, the link) are the only ones that carry them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.dates import shift_years
from omzien.people.models import Person, Purpose
from omzien.people.services import record_consent
from omzien.wellbeing import own_answers
from omzien.wellbeing.instruments import INSTRUMENTS, QUESTIONNAIRE
from omzien.wellbeing.models import (
    AnswersViewing,
    Draft,
    Mode,
    Pseudonym,
    PseudonymLink,
    Response,
    Wave,
)
from omzien.wellbeing.scoring import normalise_answer, score

LINK_SALT = "omzien.wellbeing.personal-link"


class Refused(Exception):
    """A questionnaire that may not be taken or saved; the message says why, in Dutch."""


def repeat_period() -> relativedelta:
    return relativedelta(months=settings.OMZIEN_QUESTIONNAIRE_REPEAT_MONTHS)


# --- Whose turn it is ----------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    baseline_on: date | None
    last_on: date | None

    def wave_due(self, today: date) -> str | None:
        """The wave to ask now: the baseline when there is none, the repeat once the period
        has passed since the last time; None when nothing is due."""
        if self.baseline_on is None:
            return Wave.BASELINE
        if self.last_on + repeat_period() <= today:
            return Wave.REPEAT
        return None

    def repeat_due_on(self) -> date | None:
        return None if self.last_on is None else self.last_on + repeat_period()


def _link_of(person_id: int) -> PseudonymLink | None:
    return PseudonymLink.objects.filter(person_id=person_id).first()


def status_of(person, *, acting_user) -> Status:
    """When the person took the questionnaire (dates only, never a score); audit-logged."""
    record(acting_user, AuditEvent.Action.VIEW, "questionnaire dates", person=person)
    return _statuses([person.pk])[person.pk]


def _statuses(person_ids) -> dict[int, Status]:
    links = dict(
        PseudonymLink.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "pseudonym_id"
        )
    )
    dates: dict[int, tuple[date | None, date | None]] = {}
    rows = Response.objects.filter(pseudonym_id__in=links.values()).values_list(
        "pseudonym_id", "wave", "taken_on"
    )
    for pseudonym_id, wave, taken_on in rows:
        baseline, last = dates.get(pseudonym_id, (None, None))
        if wave == Wave.BASELINE:
            baseline = min(baseline or taken_on, taken_on)
        last = max(last or taken_on, taken_on)
        dates[pseudonym_id] = (baseline, last)
    return {pk: Status(*dates.get(links.get(pk), (None, None))) for pk in person_ids}


@dataclass(frozen=True)
class DueRepeat:
    person: Person
    due_on: date


def repeats_due(*, acting_user, today: date) -> list[DueRepeat]:
    """The people whose repeat is due (by name: names consent and questionnaires consent,
    at the places the user manages), oldest first; never a score. Audit-logged."""
    people = list(
        permissions.repeat_due_people_for_user(acting_user, reading="questionnaire repeats due")
    )
    statuses = _statuses([person.pk for person in people])
    due = [
        DueRepeat(person, statuses[person.pk].repeat_due_on())
        for person in people
        if statuses[person.pk].baseline_on is not None
        and statuses[person.pk].wave_due(today) == Wave.REPEAT
    ]
    return sorted(due, key=lambda row: (row.due_on, row.person.last_name, row.person.pk))


# --- Taking a questionnaire ------------------------------------------------------------------


def _check_may_take(person, place, acting_user) -> None:
    if not permissions.may_take_questionnaire(acting_user, person, place):
        raise permissions.NotFound


@transaction.atomic
def start(
    person,
    place,
    *,
    consent: bool,
    acting_user,
    mode: str = Mode.TABLET,
    today=None,
    gp_visit: bool = False,
):
    """Record the person's answer to the consent question and, with a yes, open a
    questionnaire for them (a draft against their pseudonym). Without a yes nothing else
    is written. `Refused` when nothing is due (they answered recently). ``gp_visit``: the
    answer to the GP question's own consent; without it that question is not asked. One
    questionnaire at a time: a second start (a consent page sent twice) gives the draft
    already open, unless its personal link was opened (paper is always its own draft)."""
    _check_may_take(person, place, acting_user)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one start at a time
    today = today or timezone.localdate()
    record_consent(
        person, Purpose.QUESTIONNAIRES, consent, acting_user=acting_user, source="questionnaire"
    )
    if not consent:
        return None
    wave = _statuses([person.pk])[person.pk].wave_due(today)
    if wave is None:
        raise Refused(_("This person answered the questionnaire recently: no repeat is due yet."))
    link = _link_of(person.pk)
    if link is None:
        link = PseudonymLink.objects.create(person=person, pseudonym=Pseudonym.objects.create())
        record(acting_user, AuditEvent.Action.CREATE, "questionnaire pseudonym", person=person)
    open_draft = (
        Draft.objects.filter(pseudonym=link.pseudonym, link_opened_at=None)
        .exclude(mode=Mode.PAPER)
        .order_by("-created_at")
        .first()
    )
    if mode != Mode.PAPER and open_draft is not None:
        open_draft.mode, open_draft.asks_gp_visit = mode, gp_visit
        open_draft.save(update_fields=["mode", "asks_gp_visit"])
        return open_draft
    draft = Draft.objects.create(
        pseudonym=link.pseudonym, place=place, wave=wave, mode=mode, asks_gp_visit=gp_visit
    )
    record(acting_user, AuditEvent.Action.CREATE, "questionnaire", person=person, detail=wave)
    return draft


def instruments_of(draft: Draft | None = None) -> tuple[str, ...]:
    """The instruments the draft asks: the GP question only with its own consent."""
    if draft is not None and draft.asks_gp_visit:
        return QUESTIONNAIRE
    return tuple(code for code in QUESTIONNAIRE if code != "gp_visit")


def questions(draft: Draft | None = None) -> list[tuple[str, int]]:
    """Every question the draft asks, in order: (instrument code, item number)."""
    return [
        (code, item.number) for code in instruments_of(draft) for item in INSTRUMENTS[code].items
    ]


def answer_of(draft: Draft, code: str, number: int) -> str | None:
    given = draft.answers.get(code) or []
    return given[number - 1] if number <= len(given) else None


@transaction.atomic
def save_answer(draft: Draft, code: str, number: int, answer: str | None, *, acting_user):
    """One answer, saved at once (a sleeping tablet loses nothing); an empty answer is a
    question skipped. `InvalidAnswers` for an answer the question does not have."""
    instrument = INSTRUMENTS[code]
    value = normalise_answer(instrument, answer)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    given = list(draft.answers.get(code) or [None] * len(instrument.items))
    given[number - 1] = value
    draft.answers = {**draft.answers, code: given}
    draft.save(update_fields=["answers"])
    record(
        acting_user, AuditEvent.Action.CHANGE, "questionnaire answer", detail=f"draft #{draft.pk}"
    )
    return draft


@transaction.atomic
def finish(draft: Draft, *, acting_user, today=None) -> list[Response]:
    """Score every instrument of the draft as its manual says and keep the responses
    against the pseudonym; the draft goes. An instrument left wholly unanswered (the GP
    question is optional) is not kept."""
    today = today or timezone.localdate()
    draft = Draft.objects.select_for_update().get(pk=draft.pk)  # the answers saved so far
    responses = []
    for code in instruments_of(draft):
        answers = draft.answers.get(code)
        if not answers or all(answer is None for answer in answers):
            continue
        result = score(code, answers)
        responses.append(
            Response(
                pseudonym_id=draft.pseudonym_id,
                instrument=code,
                wave=draft.wave,
                taken_on=today,
                place_id=draft.place_id,
                mode=draft.mode,
                answers=answers,
                total=result.total,
                emotional=result.subscales.get("emotional"),
                social=result.subscales.get("social"),
                category=result.category,
            )
        )
    Response.objects.bulk_create(responses)
    record(
        acting_user,
        AuditEvent.Action.CREATE,
        "questionnaire responses",
        detail=f"{len(responses)} instruments, {draft.wave}",
    )
    draft.delete()
    return responses


def earliest_paper_date(today: date) -> date:
    """A paper form older than a year is not typed in: its answers could no longer be paired
    with a baseline or repeat as they were meant (and a typo such as 0001 would be)."""
    return shift_years(today, -1)


@transaction.atomic
def enter_paper(person, place, answers: dict[str, list], *, taken_on: date, acting_user):
    """A paper form's answers, typed in by a volunteer: consent was given on the paper (the
    form asks it first, and the GP question's own consent: a GP answer on paper means
    yes to it); recorded as such, then scored and kept like any other."""
    _check_may_take(person, place, acting_user)
    today = timezone.localdate()
    if not earliest_paper_date(today) <= taken_on <= today:
        raise Refused(_("The date on the form must lie within the last year."))
    for code, given in answers.items():
        score(code, given)  # InvalidAnswers before anything is written
    gp_answered = any(answer not in (None, "") for answer in answers.get("gp_visit") or [])
    draft = start(
        person,
        place,
        consent=True,
        acting_user=acting_user,
        mode=Mode.PAPER,
        today=taken_on,
        gp_visit=gp_answered,
    )
    draft.answers = {
        code: [normalise_answer(INSTRUMENTS[code], answer) for answer in given]
        for code, given in answers.items()
    }
    draft.save(update_fields=["answers"])
    return finish(draft, acting_user=acting_user, today=taken_on)


# --- The personal link ---------------------------------------------------------------------


def personal_link_token(draft: Draft) -> str:
    """A signed token for the draft, for the resident's own phone (no account)."""
    return signing.dumps(draft.token, salt=LINK_SALT, compress=True)


def link_max_age() -> timedelta:
    return timedelta(days=settings.OMZIEN_QUESTIONNAIRE_LINK_DAYS)


def _unused_link_draft(signed: str, drafts) -> Draft:
    try:
        token = signing.loads(signed, salt=LINK_SALT, max_age=link_max_age())
    except signing.BadSignature:
        raise Refused(
            _("This link is not valid (any more). Ask at the meeting place for a new one.")
        ) from None
    draft = drafts.filter(token=token).first()
    if draft is None or draft.link_opened_at is not None:
        raise Refused(_("This link has been used already. Ask at the meeting place for a new one."))
    return draft


def check_personal_link(signed: str) -> Draft:
    """The draft behind a personal link that can still be opened, without using it up:
    for the page a phone shows first (a messaging app that fetches the link for a
    preview must not spend it). `Refused` as `open_personal_link`."""
    return _unused_link_draft(signed, Draft.objects.all())


@transaction.atomic
def open_personal_link(signed: str) -> Draft:
    """The draft behind a personal link, once: a link that is forged, expired, already
    opened or whose questionnaire is done opens nothing (`Refused`)."""
    draft = _unused_link_draft(signed, Draft.objects.select_for_update())
    draft.link_opened_at = timezone.now()
    draft.save(update_fields=["link_opened_at"])
    record(None, AuditEvent.Action.VIEW, "questionnaire link opened", detail=f"draft #{draft.pk}")
    return draft


# --- A person's own answers (their inzage of the questionnaires, AVG art. 15) -------------
#
# Staff never see one person's answers, not even to hand them over: whoever may produce
# the person's inzage makes a one-time link (`make_own_answers_link`) and gives it to the
# person, who opens it on their own phone. The link is signed over the random token of an
# `AnswersViewing` of the person's pseudonym; the page that opens it knows no name.

OWN_ANSWERS_SALT = "omzien.wellbeing.own-answers"
OWN_ANSWERS_LINK_SUBJECT = "own questionnaire answers link"
OWN_ANSWERS_SHOWN_SUBJECT = "own questionnaire answers shown"


class LinkRefused(Refused):
    """A link to one's own answers that opens nothing: ``status`` 400 (not a link of
    ours), 410 (expired, used, or replaced by a newer one)."""

    def __init__(self, message, status: int):
        super().__init__(message)
        self.status = status


def own_answers_max_age() -> timedelta:
    return timedelta(days=settings.OMZIEN_OWN_ANSWERS_LINK_DAYS)


def _check_may_give_own_answers(person, acting_user) -> None:
    if not permissions.may_give_own_answers(acting_user, person):
        raise permissions.NotFound


def _answered_pseudonym_id(person_id: int) -> int | None:
    link = _link_of(person_id)
    if link is None or not Response.objects.filter(pseudonym_id=link.pseudonym_id).exists():
        return None
    return link.pseudonym_id


def has_own_answers(person, *, acting_user) -> bool:
    """Whether there are answers of the person to show them (never what they are), for
    whoever may produce their inzage; `NotFound` for anyone else."""
    _check_may_give_own_answers(person, acting_user)
    return _answered_pseudonym_id(person.pk) is not None


@transaction.atomic
def make_own_answers_link(person, *, acting_user) -> str:
    """A new one-time link (signed) to the person's own answers, for the person's own
    phone; an earlier link not opened yet stops working. `NotFound` for a user who may
    not produce the person's inzage, `Refused` when there are no answers. Audit-logged
    with the person: that the link was made, never an answer."""
    _check_may_give_own_answers(person, acting_user)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one link at a time
    pseudonym_id = _answered_pseudonym_id(person.pk)
    if pseudonym_id is None:
        raise Refused(_("There are no questionnaire answers of this person."))
    replaced, _per_model = AnswersViewing.objects.filter(
        pseudonym_id=pseudonym_id, opened_at=None
    ).delete()
    viewing = AnswersViewing.objects.create(pseudonym_id=pseudonym_id)
    detail = f"valid {own_answers_max_age().days} days"
    record(
        acting_user,
        AuditEvent.Action.CREATE,
        OWN_ANSWERS_LINK_SUBJECT,
        person=person,
        detail=detail + (", an earlier unused link stopped working" if replaced else ""),
    )
    return signing.dumps(viewing.token, salt=OWN_ANSWERS_SALT, compress=True)


def _unused_viewing(signed: str, viewings) -> AnswersViewing:
    try:
        token = signing.loads(signed, salt=OWN_ANSWERS_SALT, max_age=own_answers_max_age())
    except signing.SignatureExpired:
        raise LinkRefused(
            _("This link has expired. Ask at the meeting place for a new one."), 410
        ) from None
    except signing.BadSignature:
        raise LinkRefused(
            _(
                "This is not a valid link. Check that it was copied whole, or ask at the meeting "
                "place for a new one."
            ),
            400,
        ) from None
    viewing = viewings.filter(token=str(token)).first()
    if viewing is None or viewing.opened_at is not None:
        raise LinkRefused(
            _(
                "This link has been used already, or a newer one was made. Ask at the meeting "
                "place for a new one."
            ),
            410,
        )
    return viewing


def check_own_answers_link(signed: str) -> None:
    """Whether the link can still be opened, without using it up (a messaging app that
    fetches it for a preview must not spend it); `LinkRefused` as `open_own_answers_link`."""
    _unused_viewing(signed, AnswersViewing.objects.all())


@transaction.atomic
def open_own_answers_link(signed: str) -> list:
    """The person's own answers (`own_answers.Sheet`s, oldest first), once: the link is
    used up. `LinkRefused`, and nothing changes, for a link that is forged, expired, used
    or replaced. The audit row names the person (it records that they exercised their
    right, and belongs in their own inzage), never an answer; the page gets no name."""
    viewing = _unused_viewing(signed, AnswersViewing.objects.select_for_update())
    viewing.opened_at = timezone.now()
    viewing.save(update_fields=["opened_at"])
    responses = list(
        Response.objects.filter(pseudonym_id=viewing.pseudonym_id).select_related("place")
    )
    person_id = (
        PseudonymLink.objects.filter(pseudonym_id=viewing.pseudonym_id)
        .values_list("person_id", flat=True)
        .first()
    )
    record(
        None,
        AuditEvent.Action.VIEW,
        OWN_ANSWERS_SHOWN_SUBJECT,
        # Only the key: the request that shows the answers never reads the name.
        person=Person(pk=person_id) if person_id else None,
        detail=f"{len(responses)} responses, by the person's own link",
    )
    return own_answers.sheets(responses)


def forget_stale_viewings(now=None) -> int:
    """Links to one's own answers older than their lifetime, opened or not: they open
    nothing any more (the audit log keeps that they were made and opened). Nightly, with
    the retention job. The number deleted."""
    cutoff = (now or timezone.now()) - own_answers_max_age()
    deleted, _per_model = AnswersViewing.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- Withdrawal and forgetting -------------------------------------------------------------


def forget_stale_drafts(now=None) -> int:
    """Questionnaires begun but not sent within the link's lifetime: their partial answers
    go (nightly, with the retention job). The number deleted."""
    cutoff = (now or timezone.now()) - link_max_age()
    deleted, _per_model = Draft.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def forget_answers(person_ids: list[int]) -> int:
    """Delete the people's link, pseudonym and with it every answer and draft (as the
    consent text promises). The number of responses deleted."""
    links = PseudonymLink.objects.filter(person_id__in=person_ids)
    pseudonym_ids = list(links.values_list("pseudonym_id", flat=True))
    responses = Response.objects.filter(pseudonym_id__in=pseudonym_ids).count()
    # Cascades: the link, the responses, the drafts, the links to one's own answers.
    Pseudonym.objects.filter(pk__in=pseudonym_ids).delete()
    return responses


def withdraw(person, *, acting_user) -> int:
    """After a "no" to the questionnaires purpose: the answers go (see `receivers`)."""
    deleted = forget_answers([person.pk])
    record(
        acting_user,
        AuditEvent.Action.DELETE,
        "questionnaire answers",
        person=person,
        detail=f"consent withdrawn: {deleted} responses deleted",
    )
    return deleted
