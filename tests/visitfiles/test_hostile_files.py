""".xlsx files built to hurt: an XML entity expansion ("billion laughs") and a zip bomb.
Through the import, the upload page and the command: a clear Dutch message, nothing
written, no file left behind, and never a 500 or a worker that runs for ever."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from omzien.accounts.permissions import SYSTEM
from omzien.visitfiles import services
from omzien.visitfiles.importing import import_visits
from tests.visitfiles.conftest import TODAY
from tests.visitfiles.files import counts, problems, write_xlsx
from tests.visitfiles.hostile import SHEET, billion_laughs_xlsx, zip_bomb_xlsx

URL = "/bestanden/importeren/"
ENTITIES = "voor de veiligheid"  # from the Dutch message for a DTD with entities
BOMB = "veel strakker ingepakt dan een echte lijst"
TOO_LARGE = "Omzien opent Excel-bestanden tot"
ROWS = [["p1", "Els", "", "Twello", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", ""]]


@pytest.fixture
def laughs(tmp_path):
    return billion_laughs_xlsx(tmp_path / "lijst.xlsx")


@pytest.fixture
def bomb(tmp_path):
    path = zip_bomb_xlsx(tmp_path / "lijst.xlsx")  # unpacks to 1 GiB
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml"])
def test_an_entity_expansion_is_refused_with_a_clear_message(network, tmp_path, part):
    before = counts()
    result = import_visits(
        billion_laughs_xlsx(tmp_path / "lijst.xlsx", part), today=TODAY, acting_user=SYSTEM
    )
    assert problems(result) == [(0, "", "unreadable")]
    assert ENTITIES in result.errors[0].message
    assert counts() == before


def test_a_zip_bomb_is_refused_before_anything_reads_it(network, bomb):
    before = counts()
    result = import_visits(bomb, today=TODAY, acting_user=SYSTEM)
    assert problems(result) == [(0, "", "unreadable")]
    assert BOMB in result.errors[0].message and "1,0\xa0GB" in result.errors[0].message
    assert counts() == before


def test_an_xlsx_that_unpacks_beyond_the_setting(network, tmp_path, settings):
    path = write_xlsx(tmp_path / "lijst.xlsx", ROWS)
    assert import_visits(path, today=TODAY, dry_run=True, acting_user=SYSTEM).ok
    settings.OMZIEN_VISIT_FILE_MAX_UNPACKED_BYTES = 5000
    result = import_visits(path, today=TODAY, dry_run=True, acting_user=SYSTEM)
    assert problems(result) == [(0, "", "unreadable")]
    assert TOO_LARGE in result.errors[0].message and "4,9\xa0KB" in result.errors[0].message


def test_xml_that_breaks_off_among_the_rows_names_the_row(network, tmp_path):
    import zipfile

    good = write_xlsx(tmp_path / "heel.xlsx", ROWS * 3)
    broken = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == SHEET:
                data = data[: data.index(b'<row r="4"') + 20]
            target.writestr(info, data)
    result = import_visits(broken, today=TODAY, acting_user=SYSTEM)
    assert [(p.row, p.code) for p in result.errors] == [(4, "unreadable")]
    assert counts()["visits"] == 0


def test_the_unpacked_limit_follows_the_upload_limit_by_default(settings):
    limit = settings.OMZIEN_VISIT_FILE_MAX_UNPACKED_BYTES
    assert limit == 10 * settings.OMZIEN_VISIT_FILE_MAX_BYTES


# The upload page -------------------------------------------------------------------


@pytest.fixture
def folders(settings, tmp_path):
    """The upload store, and Django's own folder for uploads it does not keep in memory."""
    settings.OMZIEN_VISIT_UPLOAD_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "django"
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    (tmp_path / "django").mkdir()
    return tmp_path / "uploads", tmp_path / "django"


def left_behind(folders) -> list:
    return [path for folder in folders if folder.exists() for path in folder.iterdir()]


def post(client, path, check_only=True):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    if check_only:
        data["check_only"] = "on"
    return client.post(URL, data)


@pytest.mark.parametrize("check_only", [True, False])
@pytest.mark.parametrize("kind", ["laughs", "bomb"])
def test_the_upload_page_refuses_hostile_files(
    client, coordinator_trefpunt, network, folders, request, kind, check_only
):
    client.force_login(coordinator_trefpunt)
    before = counts()

    response = post(client, request.getfixturevalue(kind), check_only=check_only)

    assert response.status_code == 400
    assert (ENTITIES if kind == "laughs" else BOMB) in response.content.decode()
    assert response.context["token"] is None
    assert counts() == before
    assert left_behind(folders) == []


def test_no_file_is_left_when_the_import_fails_unexpectedly(
    client, coordinator_trefpunt, network, folders, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "import_visits", broken)
    client.force_login(coordinator_trefpunt)
    with pytest.raises(RuntimeError):
        post(client, write_xlsx(tmp_path / "lijst.xlsx", ROWS))
    assert left_behind(folders) == []


def test_a_checked_file_is_the_only_one_kept(
    client, coordinator_trefpunt, network, folders, tmp_path
):
    client.force_login(coordinator_trefpunt)
    response = post(client, write_xlsx(tmp_path / "lijst.xlsx", ROWS))
    assert response.status_code == 200 and response.context["token"]
    kept = left_behind(folders)
    assert len(kept) == 1 and kept[0].parent == folders[0]
    assert response.context["token"] in kept[0].name


# The command -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["laughs", "bomb"])
def test_the_command_refuses_hostile_files(network, request, kind):
    path = request.getfixturevalue(kind)
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_visits", str(path), stdout=StringIO(), stderr=err)
    assert "lijst.xlsx" in str(failure.value)
    assert (ENTITIES if kind == "laughs" else BOMB) in err.getvalue()
    assert counts() == before


def test_the_console_script_exits_non_zero_on_a_zip_bomb(bomb, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "OMZIEN_DATA_DIR", "STATIC_ROOT"}
    }
    environment["OMZIEN_DATA_DIR"] = str(tmp_path / "data")
    failed = subprocess.run(
        [sys.executable, "-m", "omzien", "import_visits", str(bomb)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 1
    assert BOMB in failed.stderr
