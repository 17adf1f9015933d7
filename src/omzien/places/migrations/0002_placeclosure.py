# PlaceClosure moves here from signals. Its table already exists (signals_placeclosure);
# signals 0002 renames it to places_placeclosure, so the rows stay where they are. This
# migration only tells Django's model state that the model now lives in places.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PlaceClosure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('first_day', models.DateField(verbose_name='first day')),
                        ('last_day', models.DateField(verbose_name='last day')),
                        ('reason', models.CharField(blank=True, max_length=255, verbose_name='reason')),
                        ('place', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='closures', to='places.place', verbose_name='place')),
                    ],
                    options={
                        'verbose_name': 'closure',
                        'verbose_name_plural': 'closures',
                        'ordering': ['-first_day', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('last_day__gte', models.F('first_day'))), name='closure_last_day_after_first')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
