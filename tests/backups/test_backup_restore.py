"""`omzien backup` and `omzien restore` on the database the suite runs on (SQLite, or
PostgreSQL with DATABASE_URL): every table comes back identical, and a file that does not
fit is refused with nothing changed."""

import io
import json
import os
import tarfile
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from omzien.agenda.models import Activity
from omzien.attendance.models import Visit
from omzien.people.models import Consent, Person
from omzien.visiting.models import Invitation
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def every_table() -> dict[str, list[tuple]]:
    """Every row of every table, walking the tables the database itself lists."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def network(db):
    place = factories.PlaceFactory(name="De Benring", slug="de-benring")
    session = factories.SessionFactory(activity__place=place)
    people = factories.PersonFactory.create_batch(5, village=place.village)
    for person in people:
        factories.VisitFactory(session=session, person=person)
        factories.ConsentFactory(person=person)
    factories.HelpRequestFactory(place=place)
    factories.SignalFactory(person=people[0], place=place)
    factories.MembershipFactory(place=place)
    factories.AuditEventFactory()
    factories.EveningFactory()
    return place


def backup(path, *arguments):
    output = io.StringIO()
    call_command("backup", str(path), *arguments, stdout=output)
    return output.getvalue()


def restore(path, *arguments):
    output = io.StringIO()
    call_command("restore", str(path), *arguments, stdout=output)
    return output.getvalue()


def rewrite_manifest(source, target, change):
    """A copy of a backup whose manifest is changed by ``change`` (the dump stays)."""
    with tarfile.open(source) as archive, tarfile.open(target, "w:gz") as copy:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def test_a_round_trip_brings_every_table_back_identical(network, tmp_path):
    before = every_table()
    assert sum(map(len, before.values())) > 50
    file = tmp_path / "omzien.omzien-backup"
    output = backup(file)
    assert "Backup written" in output or "Back-up" in output

    Visit.objects.all().delete()
    Person.objects.filter(pk=Person.objects.order_by("pk").first().pk).update(
        first_name="Veranderd"
    )
    factories.PersonFactory.create_batch(3)
    Activity.objects.update(title="Anders")
    assert every_table() != before

    restore(file, "--no-input")
    assert every_table() == before
    # The site goes on writing after a restore (sequences and the like came back too).
    factories.PersonFactory()


def test_the_backup_records_vendor_version_and_applied_migrations(network, tmp_path):
    file = tmp_path / "omzien.omzien-backup"
    backup(file)
    with tarfile.open(file) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        names = archive.getnames()
    assert manifest["vendor"] == connection.vendor
    assert manifest["omzien_version"]
    applied = MigrationRecorder(connection).applied_migrations()
    assert {(app, name) for app, names in manifest["migrations"].items() for name in names} == set(
        applied
    )
    assert manifest["dump"]["name"] in names
    assert oct(os.stat(file).st_mode & 0o777) == "0o600"


def test_a_backup_of_an_older_schema_is_restored_and_migrated(network, tmp_path):
    call_command("migrate", "visiting", "zero", verbosity=0)
    file = tmp_path / "older.omzien-backup"
    backup(file)
    call_command("migrate", verbosity=0)
    before = {table for table in every_table() if not table.startswith("visiting_")}

    restore(file, "--no-input")
    assert ("visiting", "0001_invitations") in MigrationRecorder(connection).applied_migrations()
    assert Invitation.objects.count() == 0  # the table is back, empty as in the backup
    assert before <= set(every_table())


def assert_refused(file, message):
    before = every_table()
    with pytest.raises(CommandError, match=message):
        restore(file, "--no-input")
    assert every_table() == before


def test_a_backup_of_a_newer_schema_is_refused_and_nothing_changes(network, tmp_path):
    file = tmp_path / "omzien.omzien-backup"
    backup(file)
    newer = tmp_path / "newer.omzien-backup"
    rewrite_manifest(
        file,
        newer,
        lambda manifest: manifest["migrations"]["people"].append("0999_from_the_future"),
    )
    Person.objects.update(first_name="Na de back-up")
    assert_refused(newer, "people.0999_from_the_future")


def test_a_backup_of_another_database_vendor_is_refused(network, tmp_path):
    file = tmp_path / "omzien.omzien-backup"
    backup(file)
    other = tmp_path / "other.omzien-backup"
    other_vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    rewrite_manifest(file, other, lambda manifest: manifest.update(vendor=other_vendor))
    Person.objects.update(first_name="Na de back-up")
    assert_refused(other, other_vendor)


@pytest.mark.parametrize("damage", ["truncated", "not a backup", "missing", "altered dump"])
def test_a_bad_file_is_refused_and_nothing_changes(network, tmp_path, damage):
    file = tmp_path / "omzien.omzien-backup"
    backup(file)
    bad = tmp_path / "bad.omzien-backup"
    if damage == "truncated":
        bad.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    elif damage == "not a backup":
        bad.write_text("person_ref,first_name\n1,Jan\n")
    elif damage == "altered dump":
        rewrite_manifest(file, bad, lambda manifest: manifest["dump"].update(sha256="0" * 64))
    Person.objects.update(first_name="Na de back-up")
    assert_refused(bad, "not an Omzien backup|does not exist|geen back-up van Omzien|bestaat niet")


def test_restore_asks_first_and_a_no_changes_nothing(network, tmp_path, monkeypatch):
    file = tmp_path / "omzien.omzien-backup"
    backup(file)
    Person.objects.update(first_name="Na de back-up")
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    before = every_table()
    with pytest.raises(CommandError, match="cancelled|afgebroken"):
        restore(file)
    assert every_table() == before
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    restore(file)
    assert not Person.objects.filter(first_name="Na de back-up").exists()


def test_keep_prunes_all_but_the_newest_backups_in_the_folder(network, tmp_path):
    old = []
    for day in range(1, 5):
        path = tmp_path / f"omzien-2026-11-0{day}.omzien-backup"
        path.write_text("old")
        os.utime(path, (1_700_000_000 + day, 1_700_000_000 + day))
        old.append(path)
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("mine")

    backup(tmp_path / "omzien-2026-11-05.omzien-backup", "--keep", "3")
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == [
        "notes.txt",
        "omzien-2026-11-03.omzien-backup",
        "omzien-2026-11-04.omzien-backup",
        "omzien-2026-11-05.omzien-backup",
    ]


def test_keep_needs_the_backup_suffix(network, tmp_path):
    with pytest.raises(CommandError, match="--keep"):
        backup(tmp_path / "omzien.tar", "--keep", "3")
    assert list(tmp_path.iterdir()) == []


def test_keep_never_removes_the_backup_just_written(network, tmp_path):
    clock_ahead = tmp_path / "from-a-clock-ahead.omzien-backup"
    clock_ahead.write_text("old")
    os.utime(clock_ahead, (4_102_444_800, 4_102_444_800))  # 2100-01-01
    new = tmp_path / "omzien-2026-11-05.omzien-backup"
    backup(new, "--keep", "1")
    assert sorted(path.name for path in tmp_path.iterdir()) == [new.name]


def test_a_backup_taken_while_the_site_writes_is_one_moment_in_time(network, tmp_path):
    """A writer keeps committing a person and their consent (two tables, one
    transaction) while the backup runs: in the restored database every person of the
    writer has their consent and the other way round, so the snapshot saw each
    transaction entirely or not at all, in every table at the same moment."""
    stop, written, failures = threading.Event(), [], []

    def write_people_with_consent():
        try:
            while not stop.is_set():
                with transaction.atomic():
                    person = Person.objects.create(first_name=f"Schrijver{len(written)}")
                    factories.ConsentFactory(person=person)
                written.append(person.pk)
        except Exception as error:  # noqa: BLE001 (reported to the test below)
            failures.append(error)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write_people_with_consent)
    writer.start()
    try:
        while len(written) < 20 and writer.is_alive():
            time.sleep(0.01)
        file = tmp_path / "omzien.omzien-backup"
        backup(file)
        during_backup = len(written)
        while len(written) < during_backup + 20 and writer.is_alive():
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
    assert not failures, failures
    restore(file, "--no-input")
    people = set(
        Person.objects.filter(first_name__startswith="Schrijver").values_list("pk", flat=True)
    )
    consenting = set(
        Consent.objects.filter(person__first_name__startswith="Schrijver").values_list(
            "person_id", flat=True
        )
    )
    assert people == consenting
    assert 20 <= len(people) < len(written)  # some written before it, some after it
