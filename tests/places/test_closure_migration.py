"""PlaceClosure moved from signals to places: the migration keeps every row and its id."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("places", "0001_initial"), ("signals", "0001_initial")]
AFTER = [("places", "0002_placeclosure"), ("signals", "0002_move_placeclosure_to_places")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_closures_keep_their_rows_and_ids_when_they_move_to_places():
    try:
        old = migrate(BEFORE)
        Region = old.get_model("places", "Region")
        Village = old.get_model("places", "Village")
        Place = old.get_model("places", "Place")
        OldClosure = old.get_model("signals", "PlaceClosure")
        region = Region.objects.create(name="Voorst", slug="voorst-migratie")
        village = Village.objects.create(
            region=region, name="Wilp", slug="wilp-migratie", latitude=52.2, longitude=6.1
        )
        place = Place.objects.create(
            village=village,
            name="Dorpshuis",
            slug="dorpshuis-migratie",
            street="Dorpsstraat 1",
            postcode="7384 AA",
            town="Wilp",
            latitude=52.2,
            longitude=6.1,
        )
        kept = [
            OldClosure.objects.create(
                place=place, first_day=date(2026, 12, 24), last_day=date(2027, 1, 3), reason="Kerst"
            ),
            OldClosure.objects.create(
                place=place, first_day=date(2027, 7, 19), last_day=date(2027, 8, 1)
            ),
        ]

        new = migrate(AFTER)
        signals_models = new.get_app_config("signals").get_models()
        assert "placeclosure" not in {model._meta.model_name for model in signals_models}
        NewClosure = new.get_model("places", "PlaceClosure")
        rows = list(
            NewClosure.objects.order_by("pk").values_list("pk", "place_id", "first_day", "reason")
        )
        assert rows == [(c.pk, place.pk, c.first_day, c.reason) for c in kept]
        # The ids go on after the kept ones (on PostgreSQL: the sequence came along).
        added = NewClosure.objects.create(
            place_id=place.pk, first_day=date(2027, 10, 1), last_day=date(2027, 10, 1)
        )
        assert added.pk > kept[-1].pk
        tables = connection.introspection.table_names()
        assert "places_placeclosure" in tables and "signals_placeclosure" not in tables

        # And back again, for a rollback of the release.
        old = migrate(BEFORE)
        assert old.get_model("signals", "PlaceClosure").objects.count() == 3
    finally:
        migrate(latest())
