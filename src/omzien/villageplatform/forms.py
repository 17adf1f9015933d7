"""The dorpenplatform's forms. They only parse: the rules (who may, what is valid) are in
``services``, whose `ValidationError`s the views show as the form's errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.places.models import Place, Region
from omzien.villageplatform import services
from omzien.villageplatform.models import (
    AGENDA_MAX_LENGTH,
    MAX_COUNT,
    NOTE_MAX_LENGTH,
    PRACTICE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Action,
    Evening,
    Tag,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, place):
        return f"{place.name} ({place.village.name})"


class EveningForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    host_place = PlaceChoiceField(
        label=_("At meeting place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Elsewhere (give the location)"),
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("When it is not at a meeting place, e.g. the town hall."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=AGENDA_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item per line."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("name"))

    def __init__(self, *args, evening: Evening | None = None, **kwargs):
        if evening is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {name: getattr(evening, name) for name in services.EveningPlan.__annotations__}
            )
        super().__init__(*args, **kwargs)
        places = Place.objects.active().select_related("village").order_by("name")
        self.fields["host_place"].queryset = places
        regions = Region.objects.order_by("pk")
        if regions.count() == 1:  # one installation, one region: nothing to choose
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = self.initial.get("region") or regions.first()

    def plan(self) -> services.EveningPlan:
        return services.EveningPlan(**self.cleaned_data)


class AttendanceForm(forms.Form):
    """A number field per place the user may count for."""

    def __init__(self, *args, places, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = list(places)
        for place in self.places:
            self.fields[self.name_for(place)] = forms.IntegerField(
                label=f"{place.name} ({place.village.name})",
                min_value=0,
                max_value=MAX_COUNT,
                required=False,
                initial=existing.get(place.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    @staticmethod
    def name_for(place) -> str:
        return f"place_{place.pk}"

    def counts(self) -> dict:
        return {place.pk: self.cleaned_data[self.name_for(place)] for place in self.places}


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    practice = forms.CharField(
        label=_("What did you do?"),
        max_length=PRACTICE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A short practice others can try. No names of residents."),
    )
    place = PlaceChoiceField(label=_("Meeting place that tried it"), queryset=Place.objects.none())
    evening = forms.ModelChoiceField(
        label=_("Shared at the evening"),
        queryset=Evening.objects.none(),
        required=False,
        empty_label=_("(not at an evening)"),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_tag = forms.CharField(
        label=_("New tag"), max_length=50, required=False, help_text=_("Optional, one word.")
    )

    def __init__(self, *args, places, lesson=None, **kwargs):
        if lesson is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {
                    "title": lesson.title,
                    "practice": lesson.practice,
                    "place": lesson.place,
                    "evening": lesson.evening,
                    "tags": list(lesson.tags.all()),
                }
            )
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places.select_related("village")
        self.fields["evening"].queryset = Evening.objects.order_by("-date")

    def practice_data(self) -> services.Practice:
        data = self.cleaned_data
        return services.Practice(
            title=data["title"],
            practice=data["practice"],
            place=data["place"],
            evening=data["evening"],
            tags=list(data["tags"]),
            new_tag=data["new_tag"],
        )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What was agreed"), max_length=300)
    owner_place = PlaceChoiceField(
        label=_("Taken on by meeting place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("(not a meeting place)"),
    )
    owner_name = forms.CharField(
        label=_("Or taken on by"),
        max_length=100,
        required=False,
        help_text=_("An organisation or a role, e.g. “gemeente” (not a resident's name)."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)

    def __init__(self, *args, evening: Evening, action=None, **kwargs):
        if action is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {
                    name: getattr(action, name)
                    for name in ("description", "owner_place", "owner_name", "due_date", "status")
                }
            )
        super().__init__(*args, **kwargs)
        places = Place.objects.active().filter(village__region=evening.region_id)
        self.fields["owner_place"].queryset = places.select_related("village").order_by("name")

    def agreement(self) -> services.Agreement:
        return services.Agreement(**self.cleaned_data)


class FollowUpForm(forms.Form):
    evening = forms.ModelChoiceField(label=_("At the evening"), queryset=Evening.objects.none())
    note = forms.CharField(
        label=_("What became of it"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label=_("Status now"), choices=Action.Status.choices)

    def __init__(self, *args, evenings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evening"].queryset = evenings


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    label = forms.ModelChoiceField(
        label=_("Tag"),
        queryset=Tag.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("(all tags)"),
    )
    plek = PlaceChoiceField(
        label=_("Meeting place"),
        queryset=Place.objects.select_related("village").order_by("name"),
        required=False,
        empty_label=_("(all meeting places)"),
    )
