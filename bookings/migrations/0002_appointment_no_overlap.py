"""On PostgreSQL, make overlapping active appointments for one therapist impossible.

The range is [start, blocked_until): the session plus the service's buffer. SQLite has no
exclusion constraints; there the booking service's lock (BEGIN IMMEDIATE) does the job.
"""

from django.db import migrations

ACTIVE_STATUSES = "('booked', 'completed', 'no_show')"  # Appointment.ACTIVE_STATUSES

ADD = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_appointment ADD CONSTRAINT appointment_no_overlap_per_therapist
    EXCLUDE USING gist (therapist_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&)
    WHERE (status IN {ACTIVE_STATUSES});
"""
DROP = "ALTER TABLE bookings_appointment DROP CONSTRAINT appointment_no_overlap_per_therapist;"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
