# AccessRecord now belongs to the privacy app (privacy/migrations/0001_initial.py takes over
# its table): forget it here without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_initial"),
        ("workspace", "0002_therapist_notification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessRecord")],
            database_operations=[],
        ),
    ]
