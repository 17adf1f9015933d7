"""The template to download: Dutch column names, one example row that imports as it is."""

from datetime import UTC, date, datetime
from io import StringIO

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM
from omzien.visitfiles.example import HEADER
from omzien.visitfiles.importing import import_visits
from tests import factories
from tests.visitfiles.files import counts

CSV = reverse("visitfiles:template_csv")
XLSX = reverse("visitfiles:template_xlsx")
NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)  # a Wednesday; the last Tuesday: 30 June

DUTCH = [
    "persoon",
    "voornaam",
    "achternaam",
    "dorp",
    "plek",
    "activiteit",
    "datum",
    "toestemming",
    "toestemming_datum",
]


@pytest.fixture
def coordinator_benring(benring):
    return factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user


def download(client, url, tmp_path, name):
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / name
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return path


def test_the_header_is_dutch():
    assert list(HEADER) == DUTCH


@time_machine.travel(NOW, tick=False)
def test_the_csv_template_imports_as_it_is(client, network, coordinator_benring, tmp_path):
    client.force_login(coordinator_benring)
    path = download(client, CSV, tmp_path, "voorbeeld.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Dutch Excel reads it as UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(f'"{name}"' for name in DUTCH)
    assert '"De Benring";"Koffieochtend";"30-06-2026"' in lines[1]
    before = counts()
    result = import_visits(path, acting_user=coordinator_benring, dry_run=True)
    assert result.ok, result.errors
    assert (result.rows, result.people, result.visits, result.consents) == (1, 1, 1, 2)
    assert counts() == before


@time_machine.travel(NOW, tick=False)
def test_the_xlsx_template_has_a_date_cell_and_imports(
    client, network, coordinator_benring, tmp_path
):
    client.force_login(coordinator_benring)
    path = download(client, XLSX, tmp_path, "voorbeeld.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert [cell.value for cell in sheet[1]] == DUTCH
    assert sheet["G2"].is_date and sheet["G2"].value.date() == date(2026, 6, 30)
    assert sheet["G2"].number_format == "dd-mm-yyyy"
    before = counts()
    out = StringIO()
    call_command("import_visits", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert counts() == before
    result = import_visits(path, acting_user=SYSTEM, dry_run=True)
    assert result.ok and result.visits == 1, result.errors


@time_machine.travel(NOW, tick=False)
def test_the_example_is_of_the_coordinators_own_place(
    client, network, coordinator_trefpunt, tmp_path
):
    client.force_login(coordinator_trefpunt)
    path = download(client, CSV, tmp_path, "voorbeeld.csv")
    # Handwerken at the Trefpunt ended on 24 June.
    assert '"Trefpunt Duistervoorde";"Handwerken";"24-06-2026"' in path.read_text("utf-8-sig")
    assert import_visits(path, acting_user=coordinator_trefpunt, dry_run=True).ok


@time_machine.travel(NOW, tick=False)
def test_without_activities_the_example_says_what_goes_there(
    client, coordinator_trefpunt, tmp_path
):
    client.force_login(coordinator_trefpunt)
    text = download(client, CSV, tmp_path, "voorbeeld.csv").read_text("utf-8-sig")
    assert "plek" in text.splitlines()[0]
    assert len(text.splitlines()) == 2


def test_hosts_may_not_download_it(client, host_benring):
    client.force_login(host_benring)
    assert client.get(CSV).status_code == 403
    assert client.get(XLSX).status_code == 403


def test_the_upload_page_links_the_templates(client, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.get(reverse("visitfiles:import"))
    assert CSV.encode() in response.content and XLSX.encode() in response.content
    assert b"toestemming_datum" in response.content


@time_machine.travel(NOW, tick=False)
def test_the_downloaded_template_uploads_and_a_dutch_problem_names_the_dutch_column(
    client, network, coordinator_benring, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.OMZIEN_VISIT_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(coordinator_benring)
    path = download(client, XLSX, tmp_path, "voorbeeld.xlsx")
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("visitfiles:import"), {"file": upload, "check_only": "on"})
    assert response.status_code == 200
    assert response.context["result"].ok
    # The same template with a misspelt place: the problem table names the column "plek".
    text = download(client, CSV, tmp_path, "voorbeeld.csv").read_text("utf-8-sig")
    wrong = tmp_path / "fout.csv"
    wrong.write_text(text.replace('"De Benring"', '"De Benrink"'), "utf-8")
    upload = SimpleUploadedFile(wrong.name, wrong.read_bytes())
    response = client.post(reverse("visitfiles:import"), {"file": upload, "check_only": "on"})
    assert response.status_code == 400
    [problem] = response.context["result"].errors
    assert problem.column == "plek"
    assert "<td>plek</td>" in response.content.decode()
