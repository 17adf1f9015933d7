from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.visitfiles.formats import VisitFileError, file_kind
from omzien.visitfiles.importing import max_upload_bytes


def too_large_message() -> str:
    return _(
        "The file is larger than %(size)s. Split it into smaller files, or ask the "
        "administrator to import it with the command omzien import_visits."
    ) % {"size": filesizeformat(max_upload_bytes())}


class VisitFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Visit file (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Only check (nothing is written yet)"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_kind(upload.name)
        except VisitFileError as error:
            raise forms.ValidationError(error.message) from None
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
        return upload
