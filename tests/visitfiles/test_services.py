"""The pending-upload store (visitfiles.services): a checked file waits under a token that
belongs to one user, works once, and for a day."""

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.visitfiles import services
from tests.factories import MembershipFactory
from tests.visitfiles.files import counts, write_csv

ROWS = [
    ["p1", "Els", "", "Twello", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", "names"],
]
NOW = datetime(2026, 7, 1, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.OMZIEN_VISIT_UPLOAD_DIR = tmp_path / "uploads"
    return tmp_path / "uploads"


@pytest.fixture
def file(tmp_path):
    path = write_csv(tmp_path / "lijst.csv", ROWS)
    return SimpleUploadedFile("lijst.csv", path.read_bytes())


@pytest.fixture
def other_coordinator(trefpunt):
    """Gerrit coordinates Trefpunt Duistervoorde too."""
    return MembershipFactory(user__username="gerrit", role=Role.COORDINATOR, place=trefpunt).user


def test_keep_and_take_back_for_the_same_user(coordinator_trefpunt, file, store):
    pending = services.keep_upload(file, acting_user=coordinator_trefpunt)
    assert pending.path.read_bytes() == file.open().read()
    assert oct(pending.path.stat().st_mode & 0o777) == "0o600"

    taken = services.take_upload(pending.token, acting_user=coordinator_trefpunt, name="lijst.csv")

    assert taken is not None and taken.name == "lijst.csv"
    assert services.take_upload(pending.token, acting_user=coordinator_trefpunt) is None  # once
    services.discard_upload(taken, acting_user=coordinator_trefpunt)
    assert list(store.iterdir()) == []


def test_another_users_token_is_refused_like_an_unknown_one(
    coordinator_trefpunt, other_coordinator, file
):
    pending = services.keep_upload(file, acting_user=coordinator_trefpunt)
    assert services.take_upload(pending.token, acting_user=other_coordinator) is None
    unknown = "x" * len(pending.token)
    assert services.take_upload(unknown, acting_user=coordinator_trefpunt) is None
    assert services.confirm_upload(pending.token, acting_user=other_coordinator) is None
    # The owner still has it.
    assert services.take_upload(pending.token, acting_user=coordinator_trefpunt) is not None


@pytest.mark.parametrize("token", ["", "../x", "a/b", ".hidden", None, "x" * 33, "é" * 32])
def test_malformed_tokens_are_refused(coordinator_trefpunt, file, token):
    services.keep_upload(file, acting_user=coordinator_trefpunt)
    assert services.take_upload(token, acting_user=coordinator_trefpunt) is None


def test_a_kept_file_expires_after_a_day(coordinator_trefpunt, file, store):
    with time_machine.travel(NOW, tick=False):
        old = services.keep_upload(file, acting_user=coordinator_trefpunt)
        fresh = services.keep_upload(file, acting_user=coordinator_trefpunt)
        day_ago = (NOW - timedelta(days=1, seconds=1)).timestamp()
        os.utime(old.path, (day_ago, day_ago))
        recent = (NOW - timedelta(hours=23)).timestamp()
        os.utime(fresh.path, (recent, recent))

        assert services.take_upload(old.token, acting_user=coordinator_trefpunt) is None
        assert not old.path.exists()
        assert services.remove_expired_uploads() == 0
        assert services.take_upload(fresh.token, acting_user=coordinator_trefpunt) is not None


def test_expired_files_are_removed_when_the_next_one_is_kept(coordinator_trefpunt, file, store):
    with time_machine.travel(NOW, tick=False):
        old = services.keep_upload(file, acting_user=coordinator_trefpunt)
        day_ago = (NOW - timedelta(days=2)).timestamp()
        os.utime(old.path, (day_ago, day_ago))
        new = services.keep_upload(file, acting_user=coordinator_trefpunt)
    assert [path.name for path in store.iterdir()] == [new.path.name]


@pytest.mark.parametrize("who", ["host_benring", "viewer", "professional"])
def test_users_who_manage_no_place_are_refused(request, who, coordinator_trefpunt, file, store):
    pending = services.keep_upload(file, acting_user=coordinator_trefpunt)
    user = request.getfixturevalue(who)
    for call in (
        lambda: services.keep_upload(file, acting_user=user),
        lambda: services.take_upload(pending.token, acting_user=user),
        lambda: services.discard_upload(pending, acting_user=user),
        lambda: services.check_upload(file, acting_user=user),
        lambda: services.confirm_upload(pending.token, acting_user=user),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert pending.path.exists()
    assert len(list(store.iterdir())) == 1


def test_a_checked_file_is_kept_and_a_confirmation_imports_it_once(
    coordinator_trefpunt, network, file, store
):
    before = counts()
    result, pending = services.check_upload(file, acting_user=coordinator_trefpunt)
    assert result.ok and result.dry_run and pending is not None
    assert counts() == before  # a check writes nothing, not even to the audit log

    imported = services.confirm_upload(
        pending.token, acting_user=coordinator_trefpunt, name="lijst.csv"
    )

    assert imported.written and imported.visits == 1
    event = AuditEvent.objects.get()
    assert event.user == coordinator_trefpunt
    assert (event.action, event.subject) == ("import", "visit file")
    assert event.detail.startswith("lijst.csv: 1 rows")
    assert list(store.iterdir()) == []
    assert services.confirm_upload(pending.token, acting_user=coordinator_trefpunt) is None


def test_a_file_with_problems_is_not_kept(coordinator_trefpunt, network, tmp_path, store):
    bad = write_csv(tmp_path / "lijst.csv", [[*ROWS[0][:4], "De Benring", *ROWS[0][5:]]])
    upload = SimpleUploadedFile("lijst.csv", bad.read_bytes())
    result, pending = services.check_upload(upload, acting_user=coordinator_trefpunt)
    assert not result.ok and pending is None
    assert list(store.iterdir()) == []


def test_an_import_straight_away_keeps_nothing(coordinator_trefpunt, network, file, store):
    result, pending = services.check_upload(file, acting_user=coordinator_trefpunt, dry_run=False)
    assert result.written and pending is None
    assert list(store.iterdir()) == []
