"""The coordinators' texts for the impact report: "wat ging goed" and "wat leerden we" per
place and period, at /overzicht/verhalen/.

Who manages a place (``Capability.MANAGE_PLACE``) writes its texts; the list answers 403
to anyone who manages no place, a place out of reach 404 (as one that does not exist).
Works without JavaScript: the period is chosen with a plain GET form, and emptying a text
that was written asks for a confirmation first.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.reports import services
from omzien.reports.cube import Period, PeriodKind, periods_of_year
from omzien.reports.forms import StoryForm
from omzien.reports.models import PlaceStory
from omzien.reports.presentation import period_label

YEARS_OFFERED = 3  # this year and the two before

managers_only = permissions.capability_required(
    Capability.MANAGE_PLACE,
    gettext_lazy("Only coordinators of a meeting place write its texts for the report."),
)


def story_period_choices(today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods that have started, per year (newest first): the year, its quarters,
    its months."""
    choices = []
    for year in range(today.year, today.year - YEARS_OFFERED, -1):
        periods = [period for period in periods_of_year(year) if period.first_day <= today]
        ordered = [
            *(p for p in periods if p.kind == PeriodKind.YEAR),
            *reversed([p for p in periods if p.kind == PeriodKind.QUARTER]),
            *reversed([p for p in periods if p.kind == PeriodKind.MONTH]),
        ]
        choices.append((str(year), [(p.key, _label(p)) for p in ordered]))
    return choices


def _label(period: Period) -> str:
    if period.kind == PeriodKind.YEAR:
        return _("the whole year %(year)d") % {"year": period.year}
    return period_label(period)


def _current_quarter(today: date) -> Period:
    return Period(PeriodKind.QUARTER, today.year, (today.month - 1) // 3 + 1)


def _managed_place(user, slug):
    place = permissions.places_for_user(user, Capability.MANAGE_PLACE).filter(slug=slug).first()
    if place is None:
        raise permissions.NotFound
    return place


@managers_only
def story_list(request):
    today = timezone.localdate()
    places = permissions.places_for_user(request.user, Capability.MANAGE_PLACE).order_by("name")
    stories = PlaceStory.objects.filter(place__in=places).order_by("-period")
    by_place = {place.pk: [] for place in places}
    for story in stories:
        try:
            story.period_label = _label(Period.from_key(story.period))
        except ValueError:
            continue
        by_place[story.place_id].append(story)
    return render(
        request,
        "reports/stories.html",
        {
            "places": [(place, by_place[place.pk]) for place in places],
            "period_choices": story_period_choices(today),
            "default_period": _current_quarter(today).key,
        },
    )


@login_required
def story_edit(request, place_slug):
    place = _managed_place(request.user, place_slug)
    today = timezone.localdate()
    key = request.POST.get("period") if request.method == "POST" else request.GET.get("periode")
    try:
        period = services.story_period(key or _current_quarter(today).key, today=today)
    except ValidationError as error:
        return _page(request, place, None, None, status=400, error=error.messages[0])
    story = PlaceStory.objects.filter(place=place, period=period.key).first()
    if request.method != "POST":
        initial = {"period": period.key}
        if story is not None:
            initial.update(went_well=story.went_well, learned=story.learned)
        return _page(request, place, period, StoryForm(initial=initial))
    form = StoryForm(request.POST)
    if not form.is_valid() or "back" in request.POST:
        return _page(request, place, period, form, status=200 if form.is_valid() else 400)
    emptied = _emptied(story, form.cleaned_data)
    if emptied and request.POST.get("confirmed") != "yes":
        return render(
            request,
            "reports/story_confirm.html",
            {
                "place": place,
                "period": period,
                "period_label": _label(period),
                "form": form,
                "emptied": emptied,
                "emptied_names": ", ".join(f"“{label}”" for label in emptied),
            },
        )
    try:
        services.save_story(
            acting_user=request.user,
            place=place,
            period=period.key,
            went_well=form.cleaned_data["went_well"],
            learned=form.cleaned_data["learned"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, place, period, form, status=400)
    messages.success(
        request,
        _("Saved: the texts of %(place)s for %(period)s.")
        % {"place": place.name, "period": _label(period)},
    )
    return redirect("reports:stories")


def _emptied(story: PlaceStory | None, data: dict) -> list[str]:
    """The labels of the texts that were written and would now be emptied."""
    if story is None:
        return []
    labels = {
        "went_well": StoryForm.base_fields["went_well"].label,
        "learned": StoryForm.base_fields["learned"].label,
    }
    return [
        str(label)
        for name, label in labels.items()
        if getattr(story, name).strip() and not data[name].strip()
    ]


def _page(request, place, period, form, *, status=200, error=None):
    return render(
        request,
        "reports/story.html",
        {
            "place": place,
            "period": period,
            "period_label": _label(period) if period else "",
            "form": form,
            "error": error,
            "period_choices": story_period_choices(timezone.localdate()),
        },
        status=status,
    )
