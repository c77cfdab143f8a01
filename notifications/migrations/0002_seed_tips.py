"""The clinic's between-sessions self-care advice, as four tips (editable in the admin).

Only the clinic's own advice: daily stretching of the hamstrings, hips, lower back and
piriformis; heat for tight muscles or ice over painful areas, a few times a day; posture and
not sitting for long; low-impact exercise such as walking or swimming; a strong core to
support the spine. The safe variant (for a caution in the intake) asks to check first.
"""

from django.db import migrations

CHECK_FIRST = "Please check with your therapist or doctor first, before you try this."

TIPS = [
    (
        1,
        "Stretch gently every day",
        [
            "To help the benefits of your massage last, stretch gently every day.",
            "Stretch your hamstrings, hips, lower back and piriformis slowly and gently.",
        ],
    ),
    (
        3,
        "Heat or ice",
        [
            "Heat helps tight muscles relax; ice can go over areas that are painful.",
            "Use heat or ice a few times a day.",
        ],
    ),
    (
        5,
        "Posture and sitting",
        [
            "Mind your posture through the day.",
            "Try not to sit for long periods: get up and move between spells of sitting.",
        ],
    ),
    (
        7,
        "Stay active",
        [
            "Keep active with low-impact exercise, such as walking or swimming.",
            "Strengthening your core helps support your spine.",
        ],
    ),
]


def seed_tips(apps, schema_editor):
    Tip = apps.get_model("notifications", "Tip")
    for day, title, paragraphs in TIPS:
        Tip.objects.update_or_create(
            day=day,
            defaults={
                "title": title,
                "body_text": "\n\n".join(paragraphs),
                "body_html": "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
                "safe_text": "\n\n".join([CHECK_FIRST, *paragraphs]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed_tips, migrations.RunPython.noop)]
