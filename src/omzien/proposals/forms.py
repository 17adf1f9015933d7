"""The forms of proposed activities: proposing (public, or written down by staff), "ik doe
mee", the coordinators' decisions and turning a proposal into an activity."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Category as ActivityCategory
from omzien.core.choices import Day, PartOfDay
from omzien.core.forms import (
    NO,
    REQUIRED_ANSWER,
    YES,
    ConsentQuestionMixin,
    ContactMixin,
    HoneypotMixin,
    checkboxes,
    yes_no,
)
from omzien.places.models import Village
from omzien.proposals.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from omzien.proposals.services import Contact, Idea


class ProposalConsentMixin(ConsentQuestionMixin):
    consent = yes_no(
        _("May we keep your first name and how to reach you, to set up the activity with you?")
    )

    @staticmethod
    def stale_months() -> int:
        return settings.OMZIEN_PROPOSAL_STALE_MONTHS

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            first_name=data.get("first_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            consent=data.get("consent") == YES,
        )


class ProposalForm(HoneypotMixin, ContactMixin, ProposalConsentMixin, forms.Form):
    """What a resident proposes; the same form for staff writing it down for them."""

    title = forms.CharField(
        label=_("What would you like to do together?"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("In a few words, for example: “A walking group on Saturday morning”."),
        error_messages={"required": _("Say in a few words what you would like to do.")},
    )
    description = forms.CharField(
        label=_("Tell us a little more"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(
        label=_("What kind of activity is it?"),
        choices=ActivityCategory.choices,
        initial=ActivityCategory.OTHER,
        widget=forms.RadioSelect,
        error_messages=REQUIRED_ANSWER,
    )
    village = forms.ModelChoiceField(
        queryset=Village.objects.order_by("name"),
        label=_("In which village?"),
        empty_label=_("Choose a village"),
        error_messages={
            "required": _("Choose the village."),
            "invalid_choice": _("Choose the village."),
        },
    )
    when = forms.CharField(
        label=_("When could it be?"),
        required=False,
        max_length=200,
        help_text=_("In your own words, for example: “once a month, after the market”."),
    )
    days = checkboxes(_("Which days would suit?"), Day.choices)
    parts = checkboxes(_("Which part of the day?"), PartOfDay.choices)
    bring = forms.CharField(
        label=_("What would you bring or do yourself?"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: “I know the walks”, “I can bake a cake”."),
    )
    first_name = forms.CharField(label=_("Your first name"), max_length=100)

    field_order = [
        "title",
        "description",
        "category",
        "village",
        "when",
        "days",
        "parts",
        "bring",
        "first_name",
        "phone",
        "email",
        "consent",
        "website",
    ]

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        if staff:
            # Written down for a resident who may leave no way to reach them.
            del self.fields["website"]
            self.fields["first_name"].required = False
            self.fields["first_name"].label = _("Their first name")
            self.fields["consent"].label = _(
                "Did they agree to keeping their first name and how to reach them?"
            )
            self.fields["consent"].initial = NO

    def clean(self):
        cleaned = super().clean()
        if not self.staff and not self.consent_refused:
            self.require_a_way_to_reach(cleaned)
        return cleaned

    def idea(self) -> Idea:
        data = self.cleaned_data
        return Idea(
            title=data["title"],
            village=data["village"],
            description=data["description"],
            category=data["category"],
            when=data["when"],
            days=data["days"],
            parts=data["parts"],
            bring=data["bring"],
        )


class JoinForm(HoneypotMixin, ContactMixin, ProposalConsentMixin, forms.Form):
    """ "Ik doe mee": with a first name and how to reach them, or only counted."""

    COUNT, CONTACT = "tel", "contact"
    how = forms.ChoiceField(
        label=_("How would you like to join?"),
        choices=[
            (CONTACT, _("Keep me informed: here is how to reach me")),
            (COUNT, _("Just count me in (I leave no details)")),
        ],
        widget=forms.RadioSelect,
        error_messages=REQUIRED_ANSWER,
    )
    first_name = forms.CharField(label=_("Your first name"), max_length=100, required=False)
    field_order = ["how", "first_name", "phone", "email", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].required = False
        self.fields["consent"].label = _(
            "May we keep your first name and how to reach you, to tell you when it starts?"
        )

    @property
    def counted_only(self) -> bool:
        return self.is_bound and self.data.get("how") == self.COUNT

    @property
    def consent_refused(self) -> bool:
        return not self.counted_only and super().consent_refused

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("how") != self.CONTACT:
            return cleaned
        if not cleaned.get("first_name", "").strip():
            self.add_error("first_name", _("Please give your first name."))
        self.require_a_way_to_reach(cleaned)
        if cleaned.get("consent") != YES and "consent" not in self.errors:
            self.add_error("consent", _("Please tick an answer."))
        return cleaned

    def contact(self) -> Contact:
        if self.cleaned_data["how"] == self.COUNT:
            return Contact()  # nothing of what may have been typed is kept
        return super().contact()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (the proposer is told)"),
        max_length=300,
        error_messages={"required": _("Say why, so the proposer can be told.")},
    )


class StartActivityForm(forms.Form):
    """The activity a proposal becomes, prefilled from it."""

    place = forms.ModelChoiceField(
        queryset=None,
        label=_("At which meeting place?"),
        error_messages={"required": _("Choose a meeting place.")},
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityCategory.choices)
    first_date = forms.DateField(
        label=_("First date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    weekly = forms.BooleanField(label=_("Every week from then on"), required=False)

    def __init__(self, *args, places, proposal=None, **kwargs):
        if proposal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": proposal.title,
                "description": proposal.description,
                "category": proposal.category,
                "place": next((place for place in proposal.places.all() if place in places), None),
            }
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
