# The care app (a treatment plan's goals and summary, on the staff's plan page and in the API)
# keeps access records of its own kind.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0003_access_record_outcomes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accessrecord',
            name='what',
            field=models.CharField(choices=[('intake', 'Intake (answers and reasons)'), ('intake_outcome', 'Intake outcome only'), ('session_notes', 'Session notes'), ('pre_visit_check', 'Day-of health check answers'), ('referral', 'Referral from a doctor (details or scan)'), ('letter', 'Progress letter'), ('outcomes', 'Outcome questionnaires and scores'), ('treatment_plan', 'Treatment plan (goals and summary)')], max_length=32),
        ),
    ]
