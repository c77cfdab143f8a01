from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("DoctorClearance", "Clearance"),
        migrations.AddField(
            model_name="clearance",
            name="kind",
            field=models.CharField(
                choices=[
                    ("doctor", "Cleared by a doctor"),
                    ("answered_in_error", "Answered in error, confirmed with the client"),
                ],
                default="doctor",
                max_length=24,
            ),
        ),
        migrations.AddField(
            model_name="clearance",
            name="practice",
            field=models.CharField(blank=True, max_length=200, verbose_name="practice or hospital"),
        ),
        migrations.AddField(
            model_name="clearance",
            name="reasked_answers",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="clearance",
            name="doctor_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="doctor"),
        ),
        migrations.AlterField(
            model_name="clearance",
            name="cleared_on",
            field=models.DateField(verbose_name="date seen"),
        ),
        migrations.AddConstraint(
            model_name="clearance",
            constraint=models.UniqueConstraint(fields=("intake",), name="clearance_one_per_intake"),
        ),
    ]
