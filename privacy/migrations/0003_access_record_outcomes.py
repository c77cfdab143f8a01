# The outcomes app (questionnaire scores on the workspace client page and in the staff API)
# keeps access records of its own kind.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0002_access_record_documents'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accessrecord',
            name='what',
            field=models.CharField(choices=[('intake', 'Intake (answers and reasons)'), ('intake_outcome', 'Intake outcome only'), ('session_notes', 'Session notes'), ('pre_visit_check', 'Day-of health check answers'), ('referral', 'Referral from a doctor (details or scan)'), ('letter', 'Progress letter'), ('outcomes', 'Outcome questionnaires and scores')], max_length=32),
        ),
    ]
