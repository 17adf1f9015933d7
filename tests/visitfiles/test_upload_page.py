"""The upload page at /bestanden/importeren/: coordinators check and import their lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from omzien.accounts.models import Role
from omzien.people.models import Person
from tests.factories import MembershipFactory
from tests.visitfiles.files import counts, write_csv, write_xlsx

URL = "/bestanden/importeren/"
TREFPUNT_ROWS = [
    ["p1", "Els", "", "Twello", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", "names"],
    ["p1", "Els", "", "Twello", "Trefpunt Duistervoorde", "Handwerken", "2026-03-11", "names"],
]
BENRING_ROW = ["p2", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03", ""]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.OMZIEN_VISIT_UPLOAD_DIR = tmp_path / "uploads"


def upload(client, path, check_only=True):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    if check_only:
        data["check_only"] = "on"
    return client.post(URL, data)


def test_the_url_is_stable():
    assert reverse("visitfiles:import") == URL


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=/bestanden/importeren/" in response["Location"]


@pytest.mark.parametrize("who", ["host_benring", "viewer", "professional"])
def test_only_coordinators_and_administrators(client, request, who, tmp_path, network):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    before = counts()
    path = write_csv(tmp_path / "lijst.csv", TREFPUNT_ROWS)
    assert upload(client, path, check_only=False).status_code == 403
    assert counts() == before


def test_the_form(client, coordinator_trefpunt, network):
    client.force_login(coordinator_trefpunt)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'name="check_only"' in html and "checked" in html
    assert "Trefpunt Duistervoorde" in html and "<script" not in html


def test_check_then_import_the_same_file(client, coordinator_trefpunt, network, tmp_path):
    client.force_login(coordinator_trefpunt)
    before = counts()

    checked = upload(client, write_csv(tmp_path / "lijst.csv", TREFPUNT_ROWS))

    assert checked.status_code == 200
    result = checked.context["result"]
    assert result.ok and result.dry_run and result.visits == 2
    assert counts() == before
    token = checked.context["token"]
    assert token and f'value="{token}"' in checked.content.decode()

    imported = client.post(reverse("visitfiles:confirm"), {"token": token})

    assert imported.status_code == 200
    assert imported.context["result"].written
    assert counts()["visits"] == before["visits"] + 2
    person = Person.objects.get(ref="p1")
    assert person.consents.get().recorded_by == coordinator_trefpunt
    assert not list((tmp_path / "uploads").iterdir())  # the kept file is gone
    again = client.post(reverse("visitfiles:confirm"), {"token": token})
    assert again.status_code == 400  # a token works once
    assert counts()["visits"] == before["visits"] + 2


def test_import_straight_away(client, coordinator_trefpunt, network, tmp_path):
    client.force_login(coordinator_trefpunt)
    response = upload(client, write_xlsx(tmp_path / "lijst.xlsx", TREFPUNT_ROWS), check_only=False)
    assert response.context["result"].written
    assert Person.objects.filter(ref="p1").exists()
    assert not list((tmp_path / "uploads").iterdir())


def test_rows_of_another_place_are_refused(client, coordinator_trefpunt, network, tmp_path):
    client.force_login(coordinator_trefpunt)
    before = counts()
    path = write_csv(tmp_path / "lijst.csv", [*TREFPUNT_ROWS, BENRING_ROW])

    response = upload(client, path, check_only=False)

    result = response.context["result"]
    assert [(p.row, p.column, p.code) for p in result.errors] == [(4, "place", "no_permission")]
    html = response.content.decode()
    assert "<table" in html and '<td class="number">4</td>' in html
    assert escape(result.errors[0].message) in html
    assert counts() == before
    assert response.context["token"] is None


def test_errors_are_shown_row_by_row_and_nothing_is_written(
    client, coordinator_trefpunt, network, tmp_path
):
    client.force_login(coordinator_trefpunt)
    before = counts()
    bad = [
        ["p3", "Kees", "", "Twelo", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", ""],
        ["p4", "Bep", "", "", "Trefpunt Duistervoorde", "Breien", "2026-02-30", ""],
    ]
    response = upload(client, write_csv(tmp_path / "lijst.csv", [*TREFPUNT_ROWS, *bad]))
    html = response.content.decode()
    for text in ("Twelo", "Breien", "2026-02-30"):
        assert text in html
    assert response.context["result"].error_count == 3
    assert counts() == before


def test_an_administrator_may_import_every_place(client, network, tmp_path):
    admin = MembershipFactory(user__username="anna", role=Role.ADMIN, place=None).user
    client.force_login(admin)
    path = write_csv(tmp_path / "lijst.csv", [*TREFPUNT_ROWS, BENRING_ROW])
    assert upload(client, path, check_only=False).context["result"].written


def test_a_file_over_the_limit(client, coordinator_trefpunt, network, tmp_path, settings):
    settings.OMZIEN_VISIT_FILE_MAX_BYTES = 100
    client.force_login(coordinator_trefpunt)
    before = counts()
    response = upload(client, write_csv(tmp_path / "lijst.csv", TREFPUNT_ROWS * 5))
    assert response.status_code == 400
    assert "100" in response.context["form"].errors["file"][0]
    assert counts() == before


def test_a_body_far_over_the_limit_is_not_read(client, coordinator_trefpunt, network, settings):
    settings.OMZIEN_VISIT_FILE_MAX_BYTES = 10
    client.force_login(coordinator_trefpunt)
    big = SimpleUploadedFile("lijst.csv", b"x" * (2 * 1024 * 1024))
    response = client.post(URL, {"file": big})
    assert response.status_code == 413
    assert response.context["message"]


def test_another_file_type(client, coordinator_trefpunt, network):
    client.force_login(coordinator_trefpunt)
    response = client.post(URL, {"file": SimpleUploadedFile("lijst.xls", b"\xd0\xcf")})
    assert response.status_code == 400
    assert ".xlsx" in response.context["form"].errors["file"][0]


def test_a_token_of_another_session_is_refused(
    client, coordinator_trefpunt, network, tmp_path, django_user_model
):
    client.force_login(coordinator_trefpunt)
    token = upload(client, write_csv(tmp_path / "lijst.csv", TREFPUNT_ROWS)).context["token"]
    other = MembershipFactory(user__username="gerrit", role=Role.COORDINATOR).user
    client.force_login(other)
    before = counts()
    assert client.post(reverse("visitfiles:confirm"), {"token": token}).status_code == 400
    assert client.post(reverse("visitfiles:confirm"), {"token": "../x"}).status_code == 400
    assert counts() == before
