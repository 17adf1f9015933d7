from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omzien.core.dates import shift_years
from omzien.wellbeing.instruments import INSTRUMENTS, QUESTIONNAIRE


def in_language(dutch: str, english: str) -> str:
    """An instrument's own wording in the active language (the published Dutch first)."""
    return english if (get_language() or "nl").startswith("en") else dutch


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("Do you agree?"),
        choices=[("ja", _("Yes, I agree")), ("nee", _("No, thank you"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "ja",
        error_messages={"required": _("Choose yes or no.")},
    )
    gp_visit = forms.TypedChoiceField(
        label=_(
            "May we also ask whether you saw your GP in the last three months? That answer "
            "too is kept apart from your name and only counted together with others."
        ),
        choices=[("ja", _("Yes, you may ask that")), ("nee", _("No, leave that out"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "ja",
        initial="nee",
        required=False,
        empty_value=False,
    )
    mode = forms.ChoiceField(
        label=_("How?"),
        choices=[
            ("tablet", _("Now, on this tablet")),
            ("link", _("Later, on my own phone (a personal link)")),
        ],
        widget=forms.RadioSelect,
        initial="tablet",
        required=False,
    )


class QuestionForm(forms.Form):
    def __init__(self, *args, code: str, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        instrument = INSTRUMENTS[code]
        item = instrument.items[number - 1]
        self.fields["answer"] = forms.ChoiceField(
            label=in_language(item.dutch, item.english),
            choices=[
                (option.code, in_language(option.dutch, option.english))
                for option in instrument.options
            ],
            widget=forms.RadioSelect,
            required=False,  # a question may be skipped; the manual's rules say what then
        )


class PaperForm(forms.Form):
    """Every question of the paper form on one page, for a volunteer typing it in."""

    taken_on = forms.DateField(
        label=_("Date on the form"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in QUESTIONNAIRE:
            instrument = INSTRUMENTS[code]
            for item in instrument.items:
                self.fields[f"{code}_{item.number}"] = forms.ChoiceField(
                    label=f"{item.number}. {in_language(item.dutch, item.english)}",
                    choices=[("", _("(not answered)"))]
                    + [
                        (option.code, in_language(option.dutch, option.english))
                        for option in instrument.options
                    ],
                    required=False,
                )

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        today = timezone.localdate()
        if taken_on > today:
            raise forms.ValidationError(_("The date lies in the future."))
        if taken_on < shift_years(today, -1):
            raise forms.ValidationError(_("The date on the form must lie within the last year."))
        return taken_on

    def answers(self) -> dict[str, list]:
        return {
            code: [
                self.cleaned_data[f"{code}_{item.number}"] or None
                for item in INSTRUMENTS[code].items
            ]
            for code in QUESTIONNAIRE
        }

    def clean(self):
        cleaned = super().clean()
        djg = [cleaned.get(f"djg6_{n}") for n in range(1, 7)]
        if not any(djg):
            raise forms.ValidationError(_("No answer was entered for the loneliness questions."))
        return cleaned
