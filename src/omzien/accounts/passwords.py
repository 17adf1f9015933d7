"""Refusing breached passwords without asking a web service.

`BreachedPasswordValidator` looks a new password up in lists shipped with Omzien: Django's
own 20,000 common passwords and ``data/breached-passwords.txt.gz`` (John the Ripper's
public-domain list; its header says where it comes from). A password padded to the
minimum length with digits or signs ("Welkom2024!!", "wachtwoord12345") or a common one
repeated ("qwertyqwerty") is what people do when a site asks for twelve characters, so
those forms are looked up too: Django's list alone only refuses the exact password.

A larger list (for example a selection of Have I Been Pwned's SHA-1 hashes) can take the
shipped file's place with OMZIEN_BREACHED_PASSWORDS_FILE: a gzip file with a lowercased
password or a SHA-1 hash (40 hexadecimal digits) a line. It is read once per process.
"""

import gzip
import hashlib
import os
import re
from functools import cache
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SHIPPED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
# What people put around a common word to reach a minimum length.
_PADDING = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")


def breached_list_path() -> Path:
    return Path(os.environ.get("OMZIEN_BREACHED_PASSWORDS_FILE") or SHIPPED_LIST)


@cache
def _read_list(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The passwords and the SHA-1 hashes in a gzip list (comments skipped)."""
    passwords, hashes = set(), set()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            if _SHA1.match(entry.lower()):
                hashes.add(entry.lower())
            else:
                passwords.add(entry.lower())
    return frozenset(passwords), frozenset(hashes)


@cache
def _django_common_passwords() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


def forms_of(password: str) -> set[str]:
    """The password lowercased, without the digits and signs around it, and the word it
    repeats ("abcabc": "abc"), each as people would pick them from a list."""
    lowered = password.strip().lower()
    forms = {lowered}
    core = _PADDING.match(lowered).group(1)
    if core:
        forms.add(core)
    repeated = (re.fullmatch(r"(.+?)\1+", text) for text in tuple(forms))
    return forms | {unit.group(1) for unit in repeated if unit}


def is_breached(password: str, path: Path | None = None) -> bool:
    passwords, hashes = _read_list(path or breached_list_path())
    common = _django_common_passwords()
    for form in forms_of(password):
        if form in passwords or form in common:
            return True
        if hashes and hashlib.sha1(form.encode(), usedforsecurity=False).hexdigest() in hashes:
            return True
    return False


class BreachedPasswordValidator:
    """Refuse a password (or the common word in it) that is in a list of breached ones."""

    def validate(self, password, user=None):
        if is_breached(password):
            raise ValidationError(
                _(
                    "This password, or the word in it, is in a list of passwords that are "
                    "known from data breaches. Choose another one, for example a few words "
                    "that have nothing to do with each other."
                ),
                code="password_breached",
            )

    def get_help_text(self):
        return _("Your password must not be in a list of passwords known from data breaches.")
