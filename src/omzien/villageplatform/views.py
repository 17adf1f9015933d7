"""The dorpenplatform's pages at /dorpenplatform/ (staff only, namespace ``villageplatform``).

Thin: pages that name no object ask `permissions.capability_required` (log in, then 403);
pages of one evening, lesson or action look it up through the ``access_*_for_user``
functions (404 out of reach, as for what does not exist); every write goes through
``services``. Deleting asks first (a GET shows the question, a POST deletes). Django
escapes all free text; there are no names of residents to show.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.places.models import Place
from omzien.villageplatform import queries, services
from omzien.villageplatform.forms import (
    ActionForm,
    AttendanceForm,
    EveningForm,
    FollowUpForm,
    LessonForm,
    SearchForm,
)

platform_staff_only = permissions.capability_required(Capability.VILLAGE_PLATFORM)


def _saved(request, form, action, *args, **kwargs):
    """The service's answer, or None with its refusal shown as the form's error."""
    try:
        return action(*args, acting_user=request.user, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _valid_post(request, form) -> bool:
    return request.method == "POST" and form.is_valid()


def _form_page(request, template, context, form):
    status = 400 if request.method == "POST" else 200
    return render(request, f"villageplatform/{template}", {**context, "form": form}, status=status)


def _to_evening(evening_id):
    return redirect("villageplatform:evening", evening_id=evening_id)


# --- Evenings --------------------------------------------------------------------------------


@platform_staff_only
@require_GET
def evenings(request):
    return render(
        request,
        "villageplatform/evenings.html",
        {**queries.evening_list(request.user), **_menu(request.user)},
    )


def _menu(user) -> dict:
    return {"organiser": permissions.may_organise_evenings(user)}


@login_required
@require_GET
def evening(request, evening_id):
    found = permissions.access_evening_for_user(request.user, evening_id)
    return render(
        request, "villageplatform/evening.html", queries.evening_page(request.user, found)
    )


@platform_staff_only
@require_http_methods(["GET", "POST"])
def evening_new(request):
    if not permissions.may_organise_evenings(request.user):
        raise PermissionDenied(_("Only the organisers of the village platform plan evenings."))
    form = EveningForm(request.POST or None)
    if _valid_post(request, form):
        made = _saved(request, form, services.save_evening, form.plan())
        if made is not None:
            messages.success(request, _("The evening has been saved."))
            return _to_evening(made.pk)
    return _form_page(request, "evening_form.html", {}, form)


@login_required
@require_http_methods(["GET", "POST"])
def evening_edit(request, evening_id):
    found = permissions.access_evening_for_user(request.user, evening_id, write=True)
    form = EveningForm(request.POST or None, evening=found)
    if _valid_post(request, form) and _saved(
        request, form, services.save_evening, form.plan(), evening=found
    ):
        messages.success(request, _("The evening has been saved."))
        return _to_evening(found.pk)
    return _form_page(request, "evening_form.html", {"evening": found}, form)


@login_required
@require_http_methods(["GET", "POST"])
def evening_delete(request, evening_id):
    found = permissions.access_evening_for_user(request.user, evening_id, write=True)
    if request.method == "POST":
        services.delete_evening(found, acting_user=request.user)
        messages.success(request, _("The evening has been deleted."))
        return redirect("villageplatform:evenings")
    return render(
        request,
        "villageplatform/confirm_delete.html",
        {"what": found, "back": found, "question": _("Do you really want to delete this evening?")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, evening_id):
    found = permissions.access_evening_for_user(request.user, evening_id)
    places = services.attendance_places(found, request.user)
    existing = dict(found.attendance.values_list("place_id", "count"))
    form = AttendanceForm(request.POST or None, places=places, existing=existing)
    if (
        _valid_post(request, form)
        and _saved(request, form, services.record_attendance, found, form.counts()) is not None
    ):
        messages.success(request, _("The numbers have been saved."))
        return _to_evening(found.pk)
    return _form_page(request, "attendance.html", {"evening": found}, form)


# --- Actions ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request, evening_id):
    found = permissions.access_evening_for_user(request.user, evening_id, write=True)
    form = ActionForm(request.POST or None, evening=found)
    if _valid_post(request, form) and _saved(
        request, form, services.add_action, found, form.agreement()
    ):
        messages.success(request, _("The action has been saved."))
        return _to_evening(found.pk)
    return _form_page(request, "action_form.html", {"evening": found}, form)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, action_id):
    action = permissions.access_action_for_user(request.user, action_id, write=True)
    form = ActionForm(request.POST or None, evening=action.evening, action=action)
    if _valid_post(request, form) and _saved(
        request, form, services.change_action, action, form.agreement()
    ):
        messages.success(request, _("The action has been saved."))
        return _to_evening(action.evening_id)
    return _form_page(
        request, "action_form.html", {"evening": action.evening, "action": action}, form
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request, action_id):
    action = permissions.access_action_for_user(request.user, action_id, write=True)
    if request.method == "POST":
        services.delete_action(action, acting_user=request.user)
        messages.success(request, _("The action has been deleted."))
        return _to_evening(action.evening_id)
    return render(
        request,
        "villageplatform/confirm_delete.html",
        {
            "what": action,
            "back": action.evening,
            "question": _("Do you really want to delete this action?"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, action_id):
    action = permissions.access_action_for_user(request.user, action_id, follow_up=True)
    later = queries.later_evenings(action.evening)
    initial = {"status": action.status}
    if chosen := permissions.primary_key(request.GET.get("avond")):
        initial["evening"] = later.filter(pk=chosen).first()
    form = FollowUpForm(request.POST or None, evenings=later, initial=initial)
    if _valid_post(request, form):
        data = form.cleaned_data
        done = _saved(
            request,
            form,
            services.record_follow_up,
            action,
            data["evening"],
            data["note"],
            data["status"],
        )
        if done is not None:
            messages.success(request, _("The follow-up has been saved."))
            return _to_evening(done.evening_id)
    return _form_page(request, "follow_up.html", {"action": action}, form)


# --- Lessons ("wat werkt") -----------------------------------------------------------------


def _lesson_places(user):
    return permissions.places_for_user(user, Capability.VILLAGE_PLATFORM).order_by("name")


@platform_staff_only
@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    lessons = []
    valid = form.is_valid() if request.GET else True
    if valid:
        data = getattr(form, "cleaned_data", {})
        found = queries.Search(
            text=data.get("q", ""), tag=data.get("label"), place=data.get("plek")
        )
        lessons = list(queries.search_lessons(request.user, found))
    return render(
        request,
        "villageplatform/search.html",
        {
            "form": form,
            "lessons": lessons,
            "searched": bool(request.GET),
            "editable": queries.editable_lesson_ids(request.user, lessons),
        },
        status=200 if valid else 400,
    )


@login_required
@require_GET
def place(request, place_id):
    if not permissions.can(request.user, Capability.VILLAGE_PLATFORM):
        raise permissions.NotFound
    found = permissions.one_of(Place.objects.select_related("village"), place_id)
    lessons = list(queries.place_lessons(request.user, found))
    return render(
        request,
        "villageplatform/place.html",
        {
            "place": found,
            "lessons": lessons,
            "editable": queries.editable_lesson_ids(request.user, lessons),
        },
    )


@platform_staff_only
@require_http_methods(["GET", "POST"])
def lesson_new(request):
    initial = {}
    if chosen := permissions.primary_key(request.GET.get("avond")):
        initial["evening"] = permissions.evenings(request.user).filter(pk=chosen).first()
    places = _lesson_places(request.user)
    if places.count() == 1:
        initial["place"] = places.first()
    form = LessonForm(request.POST or None, places=places, initial=initial)
    if _valid_post(request, form):
        made = _saved(request, form, services.add_lesson, form.practice_data())
        if made is not None:
            messages.success(request, _("Thank you: the lesson has been shared."))
            return redirect("villageplatform:place", place_id=made.place_id)
    return _form_page(request, "lesson_form.html", {}, form)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, lesson_id):
    lesson = permissions.access_lesson_for_user(request.user, lesson_id, write=True)
    places = _lesson_places(request.user) | Place.objects.filter(pk=lesson.place_id)
    form = LessonForm(request.POST or None, places=places.distinct(), lesson=lesson)
    if _valid_post(request, form) and _saved(
        request, form, services.change_lesson, lesson, form.practice_data()
    ):
        messages.success(request, _("The lesson has been saved."))
        return redirect("villageplatform:place", place_id=form.cleaned_data["place"].pk)
    return _form_page(request, "lesson_form.html", {"lesson": lesson}, form)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_delete(request, lesson_id):
    lesson = permissions.access_lesson_for_user(request.user, lesson_id, write=True)
    if request.method == "POST":
        services.delete_lesson(lesson, acting_user=request.user)
        messages.success(request, _("The lesson has been deleted."))
        return redirect("villageplatform:place", place_id=lesson.place_id)
    return render(
        request,
        "villageplatform/confirm_delete.html",
        {
            "what": lesson,
            "back_place": lesson.place,
            "question": _("Do you really want to delete this lesson?"),
        },
    )
