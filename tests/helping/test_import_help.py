"""``omzien import_help``: the help file of design.md, all or nothing, idempotent."""

import csv
import json
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from omzien.audit.models import AuditEvent
from omzien.helping.models import HelpEvent, HelpOffer, HelpRequest
from omzien.people.models import Consent, Person
from tests import factories

NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)
HEADER = [
    "kind",
    "ref",
    "person_ref",
    "first_name",
    "last_name",
    "village",
    "categories",
    "days",
    "parts",
    "max_per_month",
    "max_km",
    "urgency",
    "description",
    "phone",
    "email",
    "consent",
]
REQUEST = {
    "kind": "vraag",
    "ref": "V1",
    "person_ref": "P-anna",
    "first_name": "Anna",
    "last_name": "de Vries",
    "village": "Twello",
    "categories": "boodschappen;vervoer",
    "days": "ma;do",
    "parts": "ochtend",
    "urgency": "week",
    "description": "Boodschappen op donderdag",
    "phone": "0612345678",
    "consent": "help",
}
OFFER = {
    "kind": "aanbod",
    "ref": "A1",
    "person_ref": "P-bert",
    "first_name": "Bert",
    "village": "wilp",
    "categories": "boodschappen",
    "days": "do",
    "parts": "ochtend;middag",
    "max_per_month": "3",
    "max_km": "5",
    "email": "bert@example.org",
    "consent": "help",
}


@pytest.fixture
def villages(twello):
    factories.VillageFactory(
        name="Wilp", slug="wilp", latitude=Decimal("52.218100"), longitude=Decimal("6.146700")
    )
    factories.PlaceFactory(village=twello, name="De Benring", slug="de-benring")


def write(path, rows, header=HEADER, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_help", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_help", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue() + str(raised.value)


def nothing_written():
    return (
        HelpRequest.objects.count(),
        HelpOffer.objects.count(),
        Person.objects.count(),
        Consent.objects.count(),
    ) == (0, 0, 0, 0)


@time_machine.travel(NOW, tick=False)
def test_import_creates_people_requests_offers_and_consents(tmp_path, villages):
    out, _err = run(write(tmp_path / "hulp.csv", [REQUEST, OFFER]))
    assert "Imported 2 rows" in out or "2 rijen" in out
    anna = Person.objects.get(ref="P-anna")
    assert (anna.first_name, anna.last_name, anna.village.slug) == ("Anna", "de Vries", "twello")
    request = HelpRequest.objects.get(ref="V1")
    assert request.person == anna
    assert request.categories == ["boodschappen", "vervoer"]
    assert (request.days, request.parts, request.urgency) == (["ma", "do"], ["ochtend"], "week")
    assert (request.source, request.status, request.phone) == ("import", "nieuw", "0612345678")
    assert request.consent_at == NOW
    assert request.place.slug == "de-benring"
    assert HelpEvent.objects.filter(request=request, to_status="nieuw").count() == 1
    offer = HelpOffer.objects.get(ref="A1")
    assert (offer.max_per_month, offer.max_km, offer.village.slug) == (3, 5, "wilp")
    assert offer.person.ref == "P-bert"
    assert Consent.objects.filter(purpose="help", given=True).count() == 2
    assert AuditEvent.objects.filter(action="import", subject="help file").count() == 1


@time_machine.travel(NOW, tick=False)
def test_importing_twice_changes_nothing_and_a_changed_row_updates(tmp_path, villages):
    path = write(tmp_path / "hulp.csv", [REQUEST, OFFER])
    run(path)
    counts = (Person.objects.count(), Consent.objects.count(), HelpEvent.objects.count())
    out, _err = run(path)
    assert (Person.objects.count(), Consent.objects.count(), HelpEvent.objects.count()) == counts
    assert "0 hulpvragen toegevoegd en 0 gewijzigd" in out
    run(write(tmp_path / "hulp2.csv", [{**REQUEST, "urgency": "maand"}, OFFER]))
    assert HelpRequest.objects.get(ref="V1").urgency == "maand"
    assert HelpRequest.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_dry_run_writes_nothing(tmp_path, villages):
    out, _err = run(write(tmp_path / "hulp.csv", [REQUEST, OFFER]), "--dry-run")
    assert "niets geschreven" in out.lower() or "nothing was written" in out.lower()
    assert nothing_written()


@time_machine.travel(NOW, tick=False)
def test_dutch_columns_semicolons_and_formula_quotes(tmp_path, villages):
    header = ["soort", "kenmerk", "voornaam", "dorp", "categorieën", "omschrijving"]
    rows = [
        {
            "soort": "Vraag",
            "kenmerk": "V9",
            "voornaam": "Carla",
            "dorp": "twello",
            "categorieën": "Tuin",
            "omschrijving": '\'=HYPERLINK("x")',
        }
    ]
    run(write(tmp_path / "hulp.csv", rows, header=header, delimiter=";"))
    request = HelpRequest.objects.get(ref="V9")
    assert request.categories == ["tuin"]
    assert request.description == '=HYPERLINK("x")'
    assert request.person is None and request.urgency == "geen-haast"


@time_machine.travel(NOW, tick=False)
def test_an_xlsx_list_imports_too(tmp_path, villages):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([OFFER.get(column, "") for column in HEADER[:9]] + [3, 5] + [""] * 5)
    path = tmp_path / "hulp.xlsx"
    book.save(path)
    run(path)
    assert HelpOffer.objects.get(ref="A1").max_per_month == 3


# 310 characters that Django's validate_email accepts (it allows 320).
LONG_EMAIL = "a" * 63 + "@" + ".".join(["b" * 60] * 4) + ".nl"

BAD_ROWS = [
    ("kind", {"kind": "hulp"}, "'vraag'"),
    ("ref", {"ref": ""}, "ref"),
    ("ref", {"ref": "x" * 65}, "64"),
    ("village", {"village": "Atlantis"}, "Atlantis"),
    ("categories", {"categories": ""}, "boodschappen"),
    ("categories", {"categories": "boodschappen;koken"}, "koken"),
    ("days", {"days": "maandag"}, "maandag"),
    ("parts", {"parts": "nacht"}, "nacht"),
    ("max_per_month", {"max_per_month": "2"}, "aanbod"),
    ("urgency", {"urgency": "morgen"}, "morgen"),
    ("description", {"description": "x" * 1001}, "1000"),
    ("phone", {"phone": "0" * 21}, "20"),
    ("email", {"email": "anna@"}, "anna@"),
    ("email", {"email": LONG_EMAIL}, "254"),  # valid, but longer than the column holds
    ("consent", {"consent": "names"}, "help"),
    ("consent", {"consent": ""}, "help"),
    ("first_name", {"first_name": ""}, "first"),
    ("person_ref", {"person_ref": "omzien-999"}, "omzien-999"),
]


@pytest.mark.parametrize(("column", "change", "said"), BAD_ROWS)
def test_a_bad_row_is_refused_with_row_and_column(tmp_path, villages, column, change, said):
    with time_machine.travel(NOW, tick=False):
        message = refused(write(tmp_path / "hulp.csv", [OFFER, {**REQUEST, **change}]))
    assert ("Rij 3, kolom " + column in message) or ("Row 3, column " + column in message)
    assert said.lower() in message.lower()
    assert nothing_written()


@pytest.mark.parametrize(
    ("column", "change"),
    [
        ("max_km", {"max_km": "vijf"}),
        ("max_per_month", {"max_per_month": "-1"}),
        ("max_per_month", {"max_per_month": "2,5"}),
        ("urgency", {"urgency": "week"}),
    ],
)
def test_a_bad_offer_is_refused(tmp_path, villages, column, change):
    message = refused(write(tmp_path / "hulp.csv", [REQUEST, {**OFFER, **change}]))
    assert ("Rij 3, kolom " + column in message) or ("Row 3, column " + column in message)
    assert nothing_written()


def test_the_same_ref_twice_is_refused(tmp_path, villages):
    message = refused(write(tmp_path / "hulp.csv", [REQUEST, REQUEST]))
    assert "Rij 3, kolom ref" in message
    assert nothing_written()


def test_an_offer_and_a_request_may_share_a_ref(tmp_path, villages):
    run(write(tmp_path / "hulp.csv", [REQUEST, {**OFFER, "ref": "V1"}]))
    assert (
        HelpRequest.objects.filter(ref="V1").exists()
        and HelpOffer.objects.filter(ref="V1").exists()
    )


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ([c for c in HEADER if c != "village"], "village"),
        ([*HEADER, "leeftijd"], "leeftijd"),
        ([*HEADER, "dorp"], "dorp"),
    ],
)
def test_bad_columns_are_refused(tmp_path, villages, header, said):
    message = refused(write(tmp_path / "hulp.csv", [REQUEST], header=header))
    assert said in message
    assert nothing_written()


def test_files_that_cannot_be_read(tmp_path, villages):
    assert ".csv" in refused(tmp_path / "hulp.txt")
    assert "hulp.csv" in refused(tmp_path / "hulp.csv")  # does not exist
    (tmp_path / "leeg.csv").write_text("")
    assert "leeg" in refused(tmp_path / "leeg.csv").lower() or "empty" in refused(
        tmp_path / "leeg.csv"
    )
    write(tmp_path / "kop.csv", [])
    assert refused(tmp_path / "kop.csv")
    (tmp_path / "latin1.csv").write_bytes(
        ",".join(HEADER).encode() + b"\nvraag,V1,,Ren\xe9,,Twello,tuin\n"
    )
    assert "UTF-8" in refused(tmp_path / "latin1.csv")
    (tmp_path / "kapot.xlsx").write_bytes(b"not a zip")
    assert refused(tmp_path / "kapot.xlsx")
    assert nothing_written()


@time_machine.travel(NOW, tick=False)
def test_round_trip_through_match(tmp_path, villages):
    run(write(tmp_path / "hulp.csv", [REQUEST, OFFER]))
    out = StringIO()
    call_command("match", "--format", "json", stdout=out, stderr=StringIO())
    [row] = json.loads(out.getvalue())
    assert (row["request_ref"], row["offer_ref"], row["helper_ref"]) == ("V1", "A1", "P-bert")
    assert row["distance_km"] == pytest.approx(3.64, abs=0.01)
    assert "Beiden kunnen op donderdag, in de ochtend" in row["reasons"]
