# The pending-messages index in the dispatcher's claiming order (due_at, then id): a claim reads
# its batch and stops, instead of sorting every due message to find the first ones.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_link_messages"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="message",
            name="message_pending_due_at",
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("status__in", ["queued", "sending"])),
                fields=["due_at", "id"],
                name="message_pending_due_at_id",
            ),
        ),
    ]
