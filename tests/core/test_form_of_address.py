"""One form of address: Omzien says "u" to residents and volunteers (many are over 65),
never "je", "jij", "jouw" or "jullie" — in the translations and in any Dutch text outside
them (templates, mails, PDFs, the demo's descriptions)."""

import gettext
import re
from pathlib import Path

import omzien

SOURCE = Path(omzien.__file__).parent
CATALOG = SOURCE / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jouwe|jullie|jezelf)\b", re.IGNORECASE)
# Outside the translations "je" is also the diminutive suffix the phrasing code talks
# about: "-je" and a quoted "je" alone are words about Dutch, not words to the reader.
SUFFIX = re.compile(r"-je\b|([\"'`])je\1", re.IGNORECASE)
# Real exceptions, if one is ever needed (e.g. a quoted name): msgid -> reason.
ALLOWED: dict[str, str] = {}
TEXT_FILES = ("*.html", "*.txt", "*.py", "*.js", "*.csv", "*.json", "*.md")


def dutch_messages() -> dict[str, str]:
    with CATALOG.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    return {
        (msgid[0] if isinstance(msgid, tuple) else msgid): text
        for msgid, text in catalog.items()
        if msgid
    }


def test_the_dutch_translations_say_u():
    informal = {
        msgid: text
        for msgid, text in dutch_messages().items()
        if INFORMAL.search(text) and msgid not in ALLOWED
    }
    assert informal == {}


def test_the_catalog_is_read():
    # Guards the test above: an empty catalog would pass it.
    assert dutch_messages()["Not for your role"] == "Niet voor uw rol"


def test_no_dutch_text_outside_the_translations_says_je():
    found = [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for pattern in TEXT_FILES
        for path in SOURCE.rglob(pattern)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INFORMAL.search(SUFFIX.sub("", line))
    ]
    assert found == []
