"""Self-care tips with a text per variant (standard, gentle, pregnancy, after surgery), a stop rule
and their sources; the four tips re-seeded with specific advice.

The advice is taken from the clinics' articles in shared/sources (cited by title in each tip's
`sources`), in the product's own words; what the articles do not say (the named stretches, hold
times, minutes of heat or ice, the cloth) is marked as general knowledge for the clinical lead to
confirm. The caution variants follow the red-flag spec (shared/clinical/red-flags.md, §3 and
§4.4). The stop signs and the safety net are not here: the code adds them to every email.

Reversible: going back restores one text and its "check first" variant from the standard text.
"""

from django.db import migrations, models
from django.utils.html import linebreaks

A000 = '"Massage Therapy Services For Sciatic Nerve Pain", Dylan Owens (000_3ae7275ab9cd15df.txt)'
A001 = '"Sciatic Pain - How massage can help" (001_a7e20602c09e3a52.txt)'
A002 = '"Massage for Sciatica: Relief Techniques" (002_e83b9b4c877e4afd.txt)'
A003 = '"sciatica massage" (003_43a25f6ba96c99ac.txt)'
A004 = '"How Medical Massage Helps Manage Sciatica and Lower Back Pain" (004_ff6aa13cd7f156a8.txt)'
SPEC = "the red-flag spec, shared/clinical/red-flags.md"

SURGERY_FIRST = (
    "You told us you have had an operation in the last three months, so your surgeon's advice comes first."
)
CLOTH_AND_SKIN = (
    "Always wrap the pack in a towel or cloth so that it never touches your skin, and check your "
    "skin every few minutes. Never put heat or ice on skin that feels numb: you may not feel it "
    "burning. Don't fall asleep with a pack on."
)
PHYSIO = (
    "For a programme made for you, a physiotherapist can help: ask your GP, or your therapist at "
    "your next session."
)

STRETCHES = {
    "day": 1,
    "title": "Stretching between sessions",
    "standard_text": """\
A few minutes of gentle stretching every day helps the work of your massage last between sessions. Work on the backs of your thighs (hamstrings), your hips and buttocks, and your lower back. A tight piriformis, a muscle deep in the buttock, can press on the sciatic nerve, which is what the figure-four stretch is for.

Once or twice a day, lie on your back on a mat or a firm bed, knees bent and feet flat:

- Knee to chest (lower back): hold behind one thigh and bring that knee slowly towards your chest until you feel a mild stretch in your lower back and buttock. Hold for 20 to 30 seconds, breathing normally, then change legs. Do it 2 or 3 times each side.
- Figure-four stretch (piriformis and hip): rest the ankle of one leg across the opposite knee and let the raised knee fall gently outwards. For more stretch, hold the back of the lower thigh and draw it slowly towards you. Hold for 20 to 30 seconds, 2 or 3 times each side.
- Hamstring stretch with a towel: loop a towel round the sole of one foot and raise that leg slowly, knee slightly bent, until you feel a stretch behind the thigh. Hold for 20 to 30 seconds, 2 or 3 times each leg.

Move slowly and don't bounce. A stretch should feel like a mild pull, never pain.""",
    "gentle_text": """\
A few minutes of gentle stretching every day helps the work of your massage last between sessions. For you, gentle is the rule: a light, comfortable pull only, slow movements, no bouncing, no forcing a stretch further, and no hard twisting or bending of your back. Please don't use a foam roller, massage ball or massage gun on yourself.

Once a day, lie on your back on a firm bed (or on a mat, if getting down to the floor and up again is easy for you), knees bent and feet flat:

- Hamstring stretch with a towel: loop a towel round the sole of one foot and raise that leg slowly, knee slightly bent, only until you feel a light stretch behind the thigh. Keep your back flat and relaxed. Hold for 20 to 30 seconds, 2 or 3 times each leg.
- Figure-four stretch (hip and buttock): rest the ankle of one leg across the opposite knee and let the raised knee fall gently outwards, without pulling on it. Hold for 20 to 30 seconds, 2 or 3 times each side.

Leave out stretches that curl or twist your spine, such as pulling your knees to your chest, unless your therapist has shown you a safe way to do them. If you notice new bruising, tell your therapist.""",
    "pregnancy_text": """\
While you are pregnant, please check with your midwife before you start any new stretches or exercise, and follow their advice where it differs from ours.

If your midwife agrees, a few minutes of gentle stretching every day helps the work of your massage last between sessions. Later in pregnancy it is best not to lie flat on your back for long, so these stretches are done sitting on a steady chair:

- Seated hamstring stretch: sit near the front of the chair with one leg stretched out, heel on the floor and toes up. Sitting tall, lean forward a little from your hips until you feel a mild stretch behind the thigh. Hold for 20 to 30 seconds, 2 or 3 times each leg.
- Seated figure-four stretch (hip and buttock): sitting tall, rest the ankle of one leg across the opposite knee and let that knee drop gently outwards. Hold for 20 to 30 seconds, 2 or 3 times each side. Leave it out if your bump makes it uncomfortable.

Keep it gentle: move slowly, don't bounce or force a stretch, and don't use a foam roller, massage ball or massage gun on yourself. A stretch should feel like a mild pull, never pain.""",
    "after_surgery_text": f"""\
{SURGERY_FIRST} Please don't start a stretching programme until your surgeon, or the team who looked after you, says it is safe for you. Ask them at your next check-up, or ring the ward or clinic that did your operation.

Until then, keep to the exercise advice your surgical team gave you. Once they agree, ask your therapist at your next session to show you stretches that suit you.""",
    "stop_rule": (
        "A stretch should never hurt. If one does, ease off; if it still hurts, leave that stretch "
        "out and tell your therapist at your next session."
    ),
    "sources": f"""\
- Gentle stretching every day, of the hamstrings, hips and lower back, to make the benefits of a massage last: {A001}.
- A tight piriformis (deep in the buttock) or tight hip muscles can press on or strain the sciatic nerve: {A001}; {A003}; {A004}.
- Stretching eases stiffness and improves range of movement: {A002}.
- Gentle variant, blood thinners (C1: no forceful pressure, watch for bruising) and osteoporosis (C3: no forceful pressure over bones): {SPEC}, §3 and §4.4 (R19, R20).
- Pregnancy variant, check with the midwife (C2): {SPEC}, §3 and §4.4 (R19).
- After-surgery variant, the surgeon decides (an operation 12 weeks ago or less, C4 or a cleared S8): {SPEC}, §4.3 and §4.4 (R18, R19).
- General knowledge, not in the articles or the spec (for the clinical lead to confirm): the three named stretches and how to do them; holding 20 to 30 seconds, 2 or 3 times, once or twice a day; no self-massage tools with blood thinners; leaving out stretches that curl or twist the spine with osteoporosis; not lying flat on the back for long later in pregnancy.""",
}

HEAT_AND_ICE = {
    "day": 3,
    "title": "Heat and ice",
    "standard_text": f"""\
Heat and cold can both help between sessions. Heat helps tight muscles relax; ice suits an area that is painful. Use whichever helps you, a few times a day.

- Heat: a heat pack, or a hot-water bottle filled with hot (not boiling) water, on tight muscles in your lower back or buttock for 15 to 20 minutes.
- Ice: an ice pack, or a bag of frozen peas, on the painful area for up to 20 minutes.

{CLOTH_AND_SKIN} Let your skin go back to its normal colour and temperature before the next go.""",
    "gentle_text": f"""\
Heat and cold can both help between sessions. Heat helps tight muscles relax; ice suits an area that is painful. Use whichever helps you, a few times a day.

- Heat: a heat pack, or a hot-water bottle filled with hot (not boiling) water, on tight muscles in your lower back or buttock for 15 to 20 minutes.
- Ice: an ice pack, or a bag of frozen peas, on the painful area for up to 20 minutes.

Let the pack rest lightly on the area: don't press it in, lie on it or rub with it. {CLOTH_AND_SKIN} Let your skin go back to its normal colour and temperature before the next go, and tell your therapist if you notice bruising.""",
    "pregnancy_text": f"""\
While you are pregnant, please ask your midwife before using heat or ice, and follow their advice.

If your midwife agrees, heat helps tight muscles relax and ice suits an area that is painful, a few times a day:

- Heat: a warm (not hot) heat pack or hot-water bottle on tight muscles in your lower back or buttock, for up to 20 minutes. Never put heat on your bump, and don't let yourself get overheated.
- Ice: an ice pack, or a bag of frozen peas, on a painful area for up to 20 minutes.

{CLOTH_AND_SKIN}""",
    "after_surgery_text": f"""\
{SURGERY_FIRST} Don't put heat or ice on or near your wound or scar, and ask your surgical team before using heat or ice anywhere else while you recover.

If they agree, heat helps tight muscles relax and ice suits an area that is painful: a heat pack or hot-water bottle (hot, not boiling), or an ice pack, for up to 20 minutes, a few times a day, well away from the operation site.

{CLOTH_AND_SKIN}""",
    "stop_rule": (
        "Take the pack off straight away if your skin turns very red, blotchy, blistered or sore, or "
        "if the pain gets worse."
    ),
    "sources": f"""\
- Heat packs help tight muscles relax: {A001}. Superficial heat is a recommended non-drug treatment for low back pain: {SPEC}, R12.
- Ice over the painful areas, a few times a day: {A000}.
- Ice or heat as self-care between sessions: {A003}.
- Gentle variant (C1, C3: no forceful pressure, watch for bruising): {SPEC}, §3 and §4.4 (R19, R20).
- Pregnancy variant, check with the midwife (C2): {SPEC}, §3 and §4.4 (R19).
- After-surgery variant, away from the operation site (C4: avoid the operation site): {SPEC}, §3 and §4.4 (R18, R19).
- General knowledge, not in the articles or the spec (for the clinical lead to confirm): 15 to 20 minutes of heat and up to 20 minutes of ice; a towel or cloth between skin and pack; never on numb skin; checking the skin and letting it recover; no heat on the bump and not overheating in pregnancy.""",
}

POSTURE = {
    "day": 5,
    "title": "Posture and sitting",
    "standard_text": """\
Sitting for long spells, especially slumped, can leave some muscles tight and others weak, and that strains your lower back and the sciatic nerve.

- Sit well back in your chair with your back supported: a small cushion or a rolled towel behind your lower back helps. Keep your feet flat on the floor and your knees about level with your hips.
- Don't sit for long at a time. Get up and move about for a minute or two every 30 minutes or so; a timer on your phone can remind you.
- If you work at a screen, set it at eye level so that you don't lean forward to see it.
- When you stand, share your weight evenly between both feet rather than leaning on one hip.""",
    "gentle_text": """\
Sitting for long spells, especially slumped, can leave some muscles tight and others weak, and that strains your lower back and the sciatic nerve.

- Sit well back in your chair with your back supported: a small cushion or a rolled towel behind your lower back helps. Keep your feet flat on the floor and your knees about level with your hips.
- Don't sit for long at a time. Get up and move about for a minute or two every 30 minutes or so; a timer on your phone can remind you.
- Stand up and sit down slowly. Turn by moving your feet rather than twisting your back, and bend your knees, not your back, to pick something up.
- If you work at a screen, set it at eye level so that you don't lean forward to see it.""",
    "pregnancy_text": """\
Sitting for long spells, especially slumped, can leave some muscles tight and others weak, and that strains your lower back and the sciatic nerve. Your midwife can advise you on posture as your pregnancy goes on.

- Sit well back in your chair with your back supported: a small cushion or a rolled towel behind your lower back helps. Keep your feet flat on the floor.
- Don't sit for long at a time. Get up and move about for a minute or two every 30 minutes or so; a timer on your phone can remind you.
- Later in pregnancy, when you lie down to rest, lie on your side with a pillow between your knees rather than flat on your back.""",
    "after_surgery_text": f"""\
{SURGERY_FIRST} Follow what your surgical team told you about sitting, lifting and moving. Within that:

- Sit well back in your chair with your back supported, feet flat on the floor.
- Don't sit still for long. Get up and move about for a minute or two every 30 minutes or so, as far as your team allows.
- Turn by moving your feet rather than twisting your back, and don't lift anything heavy until your team says you can.""",
    "stop_rule": (
        "If a change to how you sit or stand makes your pain worse, go back to what you did before "
        "and mention it to your therapist."
    ),
    "sources": f"""\
- Good posture, especially when sitting: {A001}.
- Not sitting for long periods: {A003}.
- Long sitting with poor posture leaves some muscles tight and others weak, straining the spine and pressing on the sciatic nerve: {A004}.
- Gentle variant, osteoporosis (C3: no forceful pressure over bones): {SPEC}, §3 and §4.4 (R20).
- Pregnancy variant, the midwife's advice (C2): {SPEC}, §3 and §4.4 (R19).
- After-surgery variant, the surgical team's advice first (C4): {SPEC}, §4.4 (R18, R19).
- General knowledge, not in the articles or the spec (for the clinical lead to confirm): the chair set-up; getting up every 30 minutes or so; the screen at eye level; turning with the feet and bending the knees to lift; lying on the side later in pregnancy; no heavy lifting after an operation until the team agrees.""",
}

ACTIVE = {
    "day": 7,
    "title": "Staying active",
    "standard_text": f"""\
Staying active between sessions helps your recovery. Low-impact activity such as walking or swimming is a good choice.

- Walk most days. Start with 10 to 15 minutes at an easy pace on level ground, and add a few minutes at a time as it feels comfortable.
- Swimming, or gentle exercise in a pool, is another good choice.
- Strengthen your core: the deep muscles of your tummy and back that support your spine. To start, lie on your back with your knees bent, gently draw your belly button in towards your spine without holding your breath, hold for 10 seconds, then relax. Do it 5 to 10 times, once or twice a day.

{PHYSIO}""",
    "gentle_text": f"""\
Staying active between sessions helps your recovery. Choose gentle, low-impact activity with little risk of a fall or a knock, such as walking or swimming.

- Walk most days, in supportive shoes. Start with 10 to 15 minutes at an easy pace on level ground, and add a few minutes at a time as it feels comfortable.
- Swimming, or gentle exercise in a pool, is another good choice.
- Strengthen your core gently: lie on your back with your knees bent, softly draw your belly button in towards your spine without holding your breath, hold for 10 seconds, then relax. Do it 5 to 10 times, once a day. Avoid sit-ups, crunches and touching your toes, which bend your spine forcefully.

{PHYSIO}""",
    "pregnancy_text": f"""\
Staying active between sessions helps your recovery. While you are pregnant, please ask your midwife which activity suits you before you start anything new.

- Walking at an easy pace and swimming are low-impact choices to ask about.
- Ask your midwife or a physiotherapist which tummy (core) and pelvic floor exercises to do, and don't exercise lying flat on your back later in pregnancy.

Keep to an easy pace, and rest if you feel tired, dizzy or short of breath. {PHYSIO}""",
    "after_surgery_text": f"""\
{SURGERY_FIRST} Please don't start core-strengthening exercises, swimming or any new exercise until your surgeon, or the team who looked after you, says it is safe.

If your surgical team has asked you to walk, keep to what they advised, and ask them when you can do more. Once they agree, a physiotherapist can give you a programme made for you: ask your GP, or your therapist at your next session.""",
    "stop_rule": "Stop if an activity makes your pain clearly worse, and do less next time.",
    "sources": f"""\
- Staying active with low-impact exercise such as walking or swimming: {A001}.
- Strengthening the core to support the spine; help from a physical therapist: {A003}.
- Exercise as part of the treatment plan alongside massage: {A004}.
- Gentle variant (C1, C3): {SPEC}, §3 and §4.4 (R19, R20).
- Pregnancy variant, check with the midwife (C2): {SPEC}, §3 and §4.4 (R19).
- After-surgery variant, the surgeon decides (C4 or a cleared S8): {SPEC}, §4.3 and §4.4 (R18, R19).
- General knowledge, not in the articles or the spec (for the clinical lead to confirm): walking 10 to 15 minutes and building up; the drawing-in core exercise, 10 seconds, 5 to 10 times; avoiding sit-ups, crunches and toe-touching, and activities with a risk of falls, with osteoporosis or blood thinners; pelvic floor exercises, not exercising flat on the back later in pregnancy, and resting if dizzy or short of breath.""",
}

TIPS = [STRETCHES, HEAT_AND_ICE, POSTURE, ACTIVE]

CHECK_FIRST = "Please check with your therapist or doctor first, before you try this."
REVIEW = "Written before tips had variants: review every variant before switching this tip back on."


def seed_tips(apps, schema_editor):
    """The four tips, by day; whether each is switched on is left as the clinic set it."""
    Tip = apps.get_model("notifications", "Tip")
    for tip in TIPS:
        Tip.objects.update_or_create(day=tip["day"], defaults={k: v for k, v in tip.items() if k != "day"})


def forwards(apps, schema_editor):
    seed_tips(apps, schema_editor)
    # A tip the clinic added itself keeps its words, but stays off until someone checks each variant.
    Tip = apps.get_model("notifications", "Tip")
    for extra in Tip.objects.exclude(day__in=[tip["day"] for tip in TIPS]):
        extra.standard_text = extra.body_text
        extra.gentle_text = extra.pregnancy_text = extra.after_surgery_text = extra.safe_text
        extra.stop_rule = "Stop if this makes your pain worse."
        extra.sources = REVIEW
        extra.is_active = False
        extra.save()


def backwards(apps, schema_editor):
    Tip = apps.get_model("notifications", "Tip")
    for tip in Tip.objects.all():
        tip.body_text = tip.standard_text
        tip.body_html = linebreaks(tip.standard_text, autoescape=True)
        tip.safe_text = f"{CHECK_FIRST}\n\n{tip.standard_text}"
        tip.save()


def _text(help_text):
    # Added with an empty default for the existing rows; seed_tips fills them in.
    return models.TextField(default="", help_text=help_text)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_health_check_and_caution_kinds")]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="standard_text",
            field=_text(
                "For everyone without one of the cautions below. Plain text: a blank line between paragraphs."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tip",
            name="gentle_text",
            field=_text(
                "For clients who take blood thinners or have osteoporosis: gentle only, no forceful "
                "stretching, twisting or bending, no self-massage tools."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tip",
            name="pregnancy_text",
            field=_text("For pregnant clients: asks them to check with their midwife first."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tip",
            name="after_surgery_text",
            field=_text(
                "For clients who had an operation in the last 12 weeks: no stretching or exercise "
                "programme until their surgeon agrees."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tip",
            name="stop_rule",
            field=_text(
                "When to stop, for this tip. Every email adds after it: stop if pain or numbness "
                "spreads down the leg or the leg feels weaker, and the A&E safety net."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tip",
            name="sources",
            field=_text(
                "Where each piece of advice comes from (the clinics' articles, the red-flag "
                "specification), and what is general knowledge for the clinical lead to confirm."
            ),
            preserve_default=False,
        ),
        # Defaults on the old fields only so that going back can add them again to existing rows.
        migrations.AlterField(
            model_name="tip",
            name="body_text",
            field=models.TextField(default="", help_text="Plain-text version of the tip."),
        ),
        migrations.AlterField(
            model_name="tip",
            name="body_html",
            field=models.TextField(default="", help_text="HTML version of the tip (paragraphs, no styles)."),
        ),
        migrations.AlterField(
            model_name="tip",
            name="safe_text",
            field=models.TextField(
                default="",
                help_text="Sent instead to clients whose intake has a caution: must ask them to check "
                "with their therapist or doctor first.",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="tip", name="body_text"),
        migrations.RemoveField(model_name="tip", name="body_html"),
        migrations.RemoveField(model_name="tip", name="safe_text"),
    ]
