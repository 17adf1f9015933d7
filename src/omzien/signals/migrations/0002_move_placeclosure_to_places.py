# PlaceClosure moves to places (places 0002 takes it over in the model state): its table
# is renamed, so every closure keeps its row and id. Reversible.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0002_placeclosure'),
        ('signals', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='placeclosure', table='places_placeclosure'),
            ],
            state_operations=[
                migrations.DeleteModel(name='PlaceClosure'),
            ],
        ),
    ]
