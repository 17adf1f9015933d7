"""The tags every lesson can start with; staff add more while writing one."""

from django.db import migrations

STARTING_TAGS = [
    ("koffie", "koffie"),
    ("vrijwilligers", "vrijwilligers"),
    ("jongeren", "jongeren"),
    ("vervoer", "vervoer"),
    ("ouderen", "ouderen"),
    ("eenzaamheid", "eenzaamheid"),
    ("activiteiten", "activiteiten"),
    ("samenwerking", "samenwerking"),
    ("communicatie", "communicatie"),
]


def add_tags(apps, schema_editor):
    Tag = apps.get_model("villageplatform", "Tag")
    for slug, name in STARTING_TAGS:
        Tag.objects.get_or_create(slug=slug, defaults={"name": name})


def remove_tags(apps, schema_editor):
    Tag = apps.get_model("villageplatform", "Tag")
    Tag.objects.filter(slug__in=[slug for slug, _name in STARTING_TAGS], lessons=None).delete()


class Migration(migrations.Migration):
    dependencies = [("villageplatform", "0001_initial")]

    operations = [migrations.RunPython(add_tags, remove_tags)]
