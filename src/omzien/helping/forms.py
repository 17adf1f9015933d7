"""The help forms: public (ask, offer, "Ik help graag"), at the door, and the coordinators'."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from omzien.core.forms import (
    NO,
    REQUIRED_ANSWER,
    YES,
    YES_NO,
    ConsentQuestionMixin,
    ContactMixin,
    HoneypotMixin,
    checkboxes,
    yes_no,
)
from omzien.core.validators import normalise_phone_nl
from omzien.helping.models import (
    DESCRIPTION_MAX_LENGTH,
    Category,
    Day,
    HelpFeedback,
    PartOfDay,
    Urgency,
)
from omzien.helping.services import Details
from omzien.helping.transport import day_in_reach
from omzien.places.models import Place, Village

# The shared parts of the public forms live in core.forms (proposals use them too).
_checkboxes = checkboxes


class VillageField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Village.objects.order_by("name"),
            label=_("Which village?"),
            empty_label=_("Choose a village"),
            error_messages={
                "required": _("Choose your village."),
                "invalid_choice": _("Choose your village."),
            },
            **kwargs,
        )


class ConsentMixin(ConsentQuestionMixin):
    consent = yes_no(_("May we keep what you filled in, to find a helper and to reach you?"))

    @staticmethod
    def retention_months() -> int:
        return settings.OMZIEN_HELP_RETENTION_MONTHS


class PublicFormMixin(HoneypotMixin, ContactMixin, ConsentMixin, forms.Form):
    """A public form of asking or offering: what, where, when, how to reach, consent."""

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            village=data["village"],
            categories=data["categories"],
            first_name=data["first_name"],
            description=data["description"],
            days=data.get("days", []),
            parts=data.get("parts", []),
            phone=data["phone"],
            email=data["email"],
            consent=data["consent"] == YES,
        )


class PublicAskForm(PublicFormMixin):
    categories = _checkboxes(_("What do you need help with?"), Category.choices, required=True)
    description = forms.CharField(
        label=_("Tell us a little more"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “Groceries on Thursday morning, I can no longer carry them.”"),
    )
    village = VillageField()
    urgency = forms.ChoiceField(
        label=_("When?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NO_HURRY,
        error_messages=REQUIRED_ANSWER,
    )
    days = _checkboxes(_("Which days suit you best?"), Day.choices)
    parts = _checkboxes(_("Which part of the day?"), PartOfDay.choices)
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    for_someone_else = forms.BooleanField(label=_("I am asking for someone else"), required=False)
    asked_by_name = forms.CharField(
        label=_("Your own name"),
        max_length=100,
        required=False,
        help_text=_("Only when you ask for someone else: the first name above is theirs."),
    )

    field_order = [
        "categories",
        "description",
        "village",
        "urgency",
        "days",
        "parts",
        "first_name",
        "phone",
        "email",
        "for_someone_else",
        "asked_by_name",
        "consent",
        "website",
    ]

    def clean(self):
        cleaned = super().clean()
        if self.consent_refused:
            return cleaned
        self.require_a_way_to_reach(cleaned)
        if cleaned.get("for_someone_else") and not cleaned.get("asked_by_name", "").strip():
            self.add_error("asked_by_name", _("Please give your own name too."))
        return cleaned


class PublicOfferForm(PublicFormMixin):
    categories = _checkboxes(_("What could you help with?"), Category.choices, required=True)
    description = forms.CharField(
        label=_("Tell us a little more"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    village = VillageField()
    villages = forms.ModelMultipleChoiceField(
        label=_("In which villages?"),
        queryset=Village.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: near your own village."),
    )
    max_km = forms.IntegerField(
        label=_("At most how many kilometres away?"), min_value=1, max_value=500, required=False
    )
    days = _checkboxes(_("Which days could you?"), Day.choices)
    parts = _checkboxes(_("Which part of the day?"), PartOfDay.choices)
    max_per_month = forms.IntegerField(
        label=_("At most how many times a month?"), min_value=1, max_value=500, required=False
    )
    has_car = forms.BooleanField(label=_("I have a car"), required=False)
    first_name = forms.CharField(label=_("Your first name"), max_length=100)

    field_order = [
        "categories",
        "description",
        "village",
        "villages",
        "max_km",
        "days",
        "parts",
        "max_per_month",
        "has_car",
        "first_name",
        "phone",
        "email",
        "consent",
        "website",
    ]

    def clean(self):
        cleaned = super().clean()
        if not self.consent_refused:
            self.require_a_way_to_reach(cleaned)
        return cleaned


class BoardOfferForm(PublicFormMixin):
    """ "Ik help graag": who offers and how the coordinator reaches them."""

    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    village = VillageField()
    description = forms.CharField(
        label=_("Anything the coordinator should know?"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["first_name", "village", "phone", "email", "description", "consent", "website"]

    def clean(self):
        cleaned = super().clean()
        if not self.consent_refused:
            self.require_a_way_to_reach(cleaned)
        return cleaned

    def details(self, categories) -> Details:
        self.cleaned_data["categories"] = categories
        return super().details()


class TransportForm(PublicFormMixin):
    """ "Ik wil mee maar heb geen vervoer": where to, which day, and the resident."""

    place = forms.ModelChoiceField(
        queryset=Place.objects.active().select_related("village").order_by("name"),
        label=_("Where do you want to go?"),
        empty_label=_("Choose a meeting place"),
        error_messages={
            "required": _("Choose where you want to go."),
            "invalid_choice": _("Choose where you want to go."),
        },
    )
    wanted_on = forms.DateField(
        label=_("On which day?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choose the day you want to go."),
            "invalid": _("Give the day as day-month-year, for example 14-3-2027."),
        },
    )
    village = VillageField(help_text=_("Where you live: where you would be picked up."))
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    description = forms.CharField(
        label=_("Anything the driver should know?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: “I use a walker.”"),
    )
    field_order = [
        "place",
        "wanted_on",
        "village",
        "first_name",
        "phone",
        "email",
        "description",
        "consent",
        "website",
    ]

    def clean_wanted_on(self):
        day = self.cleaned_data["wanted_on"]
        if not day_in_reach(day):
            raise forms.ValidationError(_("Choose a day from today on."))
        return day

    def clean(self):
        cleaned = super().clean()
        if not self.consent_refused:
            self.require_a_way_to_reach(cleaned)
        return cleaned

    def details(self) -> Details:
        """Who asks; what for (the destination in words) is written by the service."""
        data = self.cleaned_data
        return Details(
            village=data["village"],
            categories=[Category.TRANSPORT],
            first_name=data["first_name"],
            phone=data["phone"],
            email=data["email"],
            consent=data["consent"] == YES,
        )


class DoorHelpForm(forms.Form):
    """At the door, on someone's behalf, in under a minute."""

    categories = _checkboxes(_("What with?"), Category.choices, required=True)
    urgency = forms.ChoiceField(
        label=_("When?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NO_HURRY,
        error_messages=REQUIRED_ANSWER,
    )
    description = forms.CharField(label=_("In one line"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Optional; kept only with a yes below."),
    )
    consent = forms.ChoiceField(
        label=_("May the coordinator keep this phone number to connect them with a helper?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial=NO,
        error_messages=REQUIRED_ANSWER,
    )

    def __init__(self, *args, offering=False, **kwargs):
        super().__init__(*args, **kwargs)
        if offering:
            del self.fields["urgency"]
            self.fields["categories"].label = _("What can they help with?")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone_nl(phone) if phone else ""

    def details(self, person, place=None) -> Details:
        """The request or offer for ``person``, in their village; without one known, the
        village of the place it is noted at (``place``, else where they registered)."""
        data = self.cleaned_data
        return Details(
            village=_village_of(person, place),
            categories=data["categories"],
            description=data["description"],
            phone=data["phone"],
            consent=data["consent"] == YES,
        )


def _village_of(person, place):
    for known in (person.village, getattr(place, "village", None)):
        if known is not None:
            return known
    registered = person.registered_place
    return registered.village if registered is not None else None


class ProposeForm(forms.Form):
    offer = forms.IntegerField(min_value=1, error_messages={"required": _("Choose a helper.")})
    score = forms.FloatField(required=False)
    distance_km = forms.FloatField(required=False)


class StatusForm(forms.Form):
    COMPLETE, CANCEL, NO_MATCH = "afgerond", "geannuleerd", "geen_match"
    action = forms.ChoiceField(
        choices=[(COMPLETE, COMPLETE), (CANCEL, CANCEL), (NO_MATCH, NO_MATCH)]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirmed = forms.BooleanField(required=False)


class FeedbackForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Whose answer?"), choices=HelpFeedback.Side.choices, widget=forms.RadioSelect
    )
    answer = forms.ChoiceField(
        label=_("How did it go?"), choices=HelpFeedback.Answer.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
