# AccessRecord moves here from workspace, rows and all: the model is taken over as it stands
# (state only), then its table and indexes are renamed to this app's names.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    # Keeps the admin's history and any permissions pointing at the same rows.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="privacy", model="accessrecord").exists():
        ContentType.objects.filter(app_label="workspace", model="accessrecord").update(app_label="privacy")


def content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="workspace", model="accessrecord").exists():
        ContentType.objects.filter(app_label="privacy", model="accessrecord").update(app_label="workspace")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("bookings", "0004_cautions_and_pre_visit_check"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workspace", "0002_therapist_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("what", models.CharField(choices=[("intake", "Intake (answers and reasons)"), ("intake_outcome", "Intake outcome only"), ("session_notes", "Session notes"), ("pre_visit_check", "Day-of health check answers")], max_length=32)),
                        ("path", models.CharField(blank=True, max_length=300, verbose_name="page")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("appointment", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="bookings.appointment")),
                        ("client", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("viewer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "workspace_accessrecord",
                        "ordering": ["-at", "-pk"],
                        "indexes": [
                            models.Index(fields=["client", "-at"], name="workspace_a_client__32f055_idx"),
                            models.Index(fields=["viewer", "-at"], name="workspace_a_viewer__0c1b40_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="accessrecord", table=None),
        migrations.RenameIndex(
            model_name="accessrecord",
            new_name="privacy_acc_client__92f4e6_idx",
            old_name="workspace_a_client__32f055_idx",
        ),
        migrations.RenameIndex(
            model_name="accessrecord",
            new_name="privacy_acc_viewer__b86804_idx",
            old_name="workspace_a_viewer__0c1b40_idx",
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
