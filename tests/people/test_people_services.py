import pytest
from django.core.exceptions import ValidationError

from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.audit.models import AuditEvent
from omzien.people import services
from omzien.people.models import Person, Purpose, normalise_for_search
from tests.factories import PersonFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Mariëtte", "mariette"), ("  ZOË  van   Dijk ", "zoe van dijk"), ("Çelik", "celik")],
)
def test_normalise_for_search(typed, stored):
    assert normalise_for_search(typed) == stored


def test_search_ignores_accents_and_case(db):
    mariette = PersonFactory(first_name="Mariëtte", last_name="de Vries")
    PersonFactory(first_name="Marie", last_name="Jansen")
    assert list(Person.objects.matching("mariette")) == [mariette]
    assert list(Person.objects.matching("MARIËT")) == [mariette]
    assert list(Person.objects.matching("de vr")) == [mariette]
    assert Person.objects.matching("   ").count() == 0


def test_bulk_created_people_are_searchable(db, twello):
    Person.objects.bulk_create([Person(first_name="Geertruida", last_name="Ñuñez", village=twello)])
    assert Person.objects.matching("nunez").get().first_name == "Geertruida"


def test_renaming_updates_the_search_name(db):
    person = PersonFactory(first_name="Jan")
    person.first_name = "Jozef"
    person.save(update_fields=["first_name"])
    assert Person.objects.matching("jozef").get() == person


def test_register_person_records_each_answer(trefpunt, twello, coordinator_trefpunt):
    person = services.register_person(
        first_name=" Truus ",
        village=twello,
        place=trefpunt,
        consents={Purpose.NAMES: True, Purpose.FOLLOWUP: False},
        acting_user=coordinator_trefpunt,
    )
    assert person.first_name == "Truus"
    assert person.registered_place == trefpunt
    assert person.has_consent(Purpose.NAMES)
    assert not person.has_consent(Purpose.FOLLOWUP)
    assert {c.recorded_by for c in person.consents.all()} == {coordinator_trefpunt}
    assert AuditEvent.objects.filter(person=person, subject="consent").count() == 2


def test_only_someone_at_the_door_of_the_place_registers_there(
    trefpunt, twello, host_benring, viewer
):
    for user in (host_benring, viewer):
        with pytest.raises(NotFound):
            services.register_person(
                first_name="Truus",
                village=twello,
                place=trefpunt,
                consents={Purpose.NAMES: True},
                acting_user=user,
            )
    assert not Person.objects.exists()


def test_register_without_permission_for_the_name_saves_nothing(
    trefpunt, twello, coordinator_trefpunt
):
    with pytest.raises(ValidationError, match="anoniem"):
        services.register_person(
            first_name="Truus",
            village=twello,
            place=trefpunt,
            consents={Purpose.NAMES: False},
            acting_user=coordinator_trefpunt,
        )
    assert not Person.objects.exists()


def test_register_without_first_name_saves_nothing(trefpunt, twello, coordinator_trefpunt):
    with pytest.raises(ValidationError):
        services.register_person(
            first_name="  ",
            village=twello,
            place=trefpunt,
            consents={Purpose.NAMES: True},
            acting_user=coordinator_trefpunt,
        )
    assert not Person.objects.exists()


def test_unknown_purpose_is_refused(db):
    with pytest.raises(ValidationError):
        services.record_consent(PersonFactory(), "marketing", True, acting_user=SYSTEM)


def test_the_registered_person_factory_registers_through_the_service(db):
    from omzien.audit.models import AuditEvent
    from tests.factories import RegisteredPersonFactory

    person = RegisteredPersonFactory(consents={"names": True, "followup": False})
    assert sorted(person.consents.values_list("purpose", "given")) == [
        ("followup", False),
        ("names", True),
    ]
    assert person.registered_place.village == person.village
    assert AuditEvent.objects.filter(person=person, subject="person").exists()
