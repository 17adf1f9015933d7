"""Validators for Dutch data, with messages a volunteer understands."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The Netherlands, with a margin for the coast and the border villages.
NL_LATITUDE = (50.70, 53.60)
NL_LONGITUDE = (3.30, 7.25)

_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def normalise_postcode(value: str) -> str:
    """Return a postcode as '1234 AB', or raise ValidationError."""
    match = _POSTCODE.match(value or "")
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:
        raise ValidationError(
            _("Enter a Dutch postcode like 1234 AB (four digits, a space and two letters)."),
            code="invalid_postcode",
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_latitude_nl(value) -> None:
    if value is not None and not NL_LATITUDE[0] <= float(value) <= NL_LATITUDE[1]:
        raise ValidationError(
            _("This latitude lies outside the Netherlands (between %(low)s and %(high)s)."),
            code="outside_netherlands",
            params={"low": NL_LATITUDE[0], "high": NL_LATITUDE[1]},
        )


def validate_longitude_nl(value) -> None:
    if value is not None and not NL_LONGITUDE[0] <= float(value) <= NL_LONGITUDE[1]:
        raise ValidationError(
            _("This longitude lies outside the Netherlands (between %(low)s and %(high)s)."),
            code="outside_netherlands",
            params={"low": NL_LONGITUDE[0], "high": NL_LONGITUDE[1]},
        )


# Separators people write in phone numbers: "06-12345678", "(0571) 27 12 34", "+31 6 1234 5678".
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_phone_nl(value: str) -> str:
    """A Dutch phone number as digits ('0612345678', '+31612345678'), or ValidationError.

    Light on purpose: ten digits starting with 0, or +31 / 0031 and nine digits; how
    people group the digits does not matter.
    """
    bare = _PHONE_SEPARATORS.sub("", value or "")
    if bare.startswith("0031"):
        bare = "+31" + bare[4:]
    national = re.fullmatch(r"0[1-9][0-9]{8}", bare)
    international = re.fullmatch(r"\+31[1-9][0-9]{8}", bare)
    if not (national or international):
        raise ValidationError(
            _(
                "Enter a Dutch phone number of ten digits, such as 06 12345678 or "
                "0571 123456 (or +31 6 12345678)."
            ),
            code="invalid_phone",
        )
    return bare
