"""Taking a questionnaire: consent first, then one question per screen, each answer saved
on the server as it is given (a sleeping tablet or a lost connection loses nothing; no
personal data in the browser). Works without JavaScript. No page shows a score, but the
one a person opens with the one-time link to their own answers, for them alone."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.wellbeing import services
from omzien.wellbeing.forms import ConsentForm, PaperForm, QuestionForm, in_language
from omzien.wellbeing.instruments import INSTRUMENTS, QUESTIONNAIRE
from omzien.wellbeing.models import Mode
from omzien.wellbeing.scoring import InvalidAnswers

OPENED_LINKS = "omzien_questionnaire_links"  # drafts whose personal link this browser opened
PAPER_CSS = "wellbeing/paper.css"


def _posted(request):
    """The form's data for a POST, also an empty one (which is then refused)."""
    return request.POST if request.method == "POST" else None


def _door_context(request, session_id, person_id):
    session = permissions.access_session_for_user(request.user, session_id)
    person = permissions.access_person_for_user(
        request.user, person_id, reading="questionnaire consent"
    )
    return session, person


@login_required
@require_http_methods(["GET", "POST"])
def start(request, session_id, person_id):
    """The consent question, on the host's tablet handed to the resident."""
    session, person = _door_context(request, session_id, person_id)
    place = session.activity.place
    form = ConsentForm(_posted(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        consent = form.cleaned_data["consent"]
        mode = Mode.LINK if form.cleaned_data["mode"] == "link" else Mode.TABLET
        try:
            draft = services.start(
                person,
                place,
                consent=consent,
                acting_user=request.user,
                mode=mode,
                gp_visit=consent and form.cleaned_data["gp_visit"],
            )
        except services.Refused as error:
            refusal = str(error)
        else:
            if draft is None:
                return render(request, "wellbeing/declined.html", {"session": session})
            if mode == Mode.LINK:
                return redirect("wellbeing:link", token=draft.token)
            return redirect("wellbeing:question", token=draft.token, number=1)
    status = services.status_of(person, acting_user=request.user)
    return render(
        request,
        "wellbeing/consent.html",
        {
            "form": form,
            "person": person,
            "session": session,
            "refusal": refusal,
            "nothing_due": status.wave_due(timezone.localdate()) is None,
            "years": settings.OMZIEN_RETENTION_YEARS,
        },
        status=400 if request.method == "POST" else 200,
    )


def _draft_for(request, token):
    """The draft, for a host of its place or the browser that opened its link; anonymous
    visitors without the link are sent to log in."""
    opened = request.session.get(OPENED_LINKS, [])
    if not request.user.is_authenticated and token not in opened:
        return None
    return permissions.access_draft_for_user(request.user, token, opened_tokens=opened)


@require_http_methods(["GET", "POST"])
def question(request, token, number):
    draft = _draft_for(request, token)
    if draft is None:
        return redirect_to_login(request.get_full_path())
    steps = services.questions(draft)
    if not 1 <= number <= len(steps):
        raise Http404
    code, item_number = steps[number - 1]
    instrument = INSTRUMENTS[code]
    form = QuestionForm(
        _posted(request),
        code=code,
        number=item_number,
        initial={"answer": services.answer_of(draft, code, item_number)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answer(
                draft, code, item_number, form.cleaned_data["answer"], acting_user=request.user
            )
        except InvalidAnswers:
            raise Http404 from None
        if request.POST.get("direction") == "back":
            if number > 1:
                return redirect("wellbeing:question", token=token, number=number - 1)
            return redirect("wellbeing:question", token=token, number=1)
        if number < len(steps):
            return redirect("wellbeing:question", token=token, number=number + 1)
        return redirect("wellbeing:finish", token=token)
    first_of_instrument = item_number == 1
    return render(
        request,
        "wellbeing/question.html",
        {
            "form": form,
            "draft": draft,
            "number": number,
            "count": len(steps),
            "intro": in_language(instrument.dutch_intro, instrument.english_intro)
            if first_of_instrument
            else "",
            "optional": instrument.optional,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def finish(request, token):
    draft = _draft_for(request, token)
    if draft is None:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        services.finish(draft, acting_user=request.user)
        opened = [t for t in request.session.get(OPENED_LINKS, []) if t != token]
        request.session[OPENED_LINKS] = opened
        return redirect("wellbeing:thanks")
    return render(
        request,
        "wellbeing/finish.html",
        {"draft": draft, "last": len(services.questions(draft))},
    )


def thanks(request):
    return render(request, "wellbeing/thanks.html")


@login_required
def link(request, token):
    """The personal link for the resident's own phone, shown to the host to hand over."""
    draft = permissions.access_draft_for_user(
        request.user, token, reading="questionnaire link", answers=False
    )
    address = request.build_absolute_uri(
        reverse("wellbeing_link:open", kwargs={"signed": services.personal_link_token(draft)})
    )
    return render(
        request,
        "wellbeing/link.html",
        {"address": address, "days": services.link_max_age().days},
    )


@require_http_methods(["GET", "POST"])
def open_link(request, signed):
    """The resident opens their personal link (no account): once, before it expires. A
    GET only shows the start page (it writes nothing); "Begin" (a POST) uses the link."""
    try:
        if request.method == "GET":
            services.check_personal_link(signed)
            return render(request, "wellbeing/link_start.html")
        draft = services.open_personal_link(signed)
    except services.Refused as error:
        return render(request, "wellbeing/link_refused.html", {"message": error}, status=400)
    request.session[OPENED_LINKS] = [*request.session.get(OPENED_LINKS, []), draft.token]
    return redirect("wellbeing:question", token=draft.token, number=1)


def _for_the_person_only(response):
    """The person's own answers: kept by no cache, no browser history's copy, no search
    engine (the middleware says no-store for this namespace too; said here as well). The
    site's same-origin referrer policy stays: with no-referrer the browser posts the form
    with ``Origin: null``, which the CSRF check refuses."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "POST"])
def own_answers(request, signed):
    """The person opens the link to their own answers (no account), on their own phone.
    A GET asks "Toon mijn antwoorden" and writes nothing (a messaging app's preview must
    not use the link up); the POST uses it and shows every answer in that response only.
    Not in a browser where someone is logged in: staff never see one person's answers."""
    staff_browser = request.user.is_authenticated
    try:
        if request.method == "POST" and not staff_browser:
            sheets = services.open_own_answers_link(signed)
            page = render(request, "wellbeing/own_answers.html", {"sheets": sheets})
            return _for_the_person_only(page)
        services.check_own_answers_link(signed)
    except services.LinkRefused as error:
        page = render(
            request, "wellbeing/own_answers_refused.html", {"message": error}, status=error.status
        )
        return _for_the_person_only(page)
    if staff_browser:
        page = render(request, "wellbeing/own_answers_not_here.html", status=403)
    else:
        page = render(request, "wellbeing/own_answers_start.html")
    return _for_the_person_only(page)


@permissions.capability_required(Capability.MANAGE_PLACE)
def repeats_due(request):
    """Whose repeat is due: names only (names and questionnaires consent), never a score."""
    rows = services.repeats_due(acting_user=request.user, today=timezone.localdate())
    return render(request, "wellbeing/repeats_due.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, session_id, person_id):
    """A volunteer types in a paper form's answers (the form asked consent first)."""
    session, person = _door_context(request, session_id, person_id)
    form = PaperForm(_posted(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_paper(
                person,
                session.activity.place,
                form.answers(),
                taken_on=form.cleaned_data["taken_on"],
                acting_user=request.user,
            )
        except (services.Refused, InvalidAnswers) as error:
            refusal = str(error)
        else:
            return redirect("wellbeing:thanks")
    return render(
        request,
        "wellbeing/paper_entry.html",
        {"form": form, "person": person, "session": session, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@permissions.capability_required(Capability.DOOR)
def paper_pdf(request):
    """The printable questionnaire (consent question first), as a PDF (WeasyPrint) or,
    without it, the same page to print from the browser."""
    instruments = [INSTRUMENTS[code] for code in QUESTIONNAIRE]
    context = {"instruments": instruments, "years": settings.OMZIEN_RETENTION_YEARS}
    try:
        import weasyprint  # slow to import, and needs Pango: only here
    except (ImportError, OSError):
        return render(request, "wellbeing/paper.html", {**context, "pdf": False})
    html = render_to_string("wellbeing/paper.html", {**context, "pdf": True}, request)
    stylesheet = weasyprint.CSS(
        filename=finders.find(PAPER_CSS) or staticfiles_storage.path(PAPER_CSS)
    )
    pdf = weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="vragenlijst.pdf"'
    return response
