"""Recording a doctor's referral from the workspace, and who may open its scan."""

from datetime import date, timedelta

from django.urls import reverse

from documents.models import Referral
from documents.services import Prescription
from privacy.models import AccessRecord

from .conftest import PDF_BYTES, png_bytes, record_referral


def referral_form(**overrides):
    data = {
        "doctor_name": "Dr Amara Lee",
        "practice": "Riverside Surgery",
        "written_on": "2026-11-24",
        "sessions": "6",
        "period_weeks": "8",
        "valid_until": "",
        "notes": "L5 radiculopathy",
    }
    data.update(overrides)
    return data


def test_the_clients_therapist_records_a_referral_with_its_scan_from_the_client_page(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.therapist.user)
    client_page = client.get(reverse("workspace:client", args=[world.client.pk])).content.decode()
    assert reverse("documents:referral_new", args=[world.client.pk]) in client_page

    scan = SimpleUploadedFile("referral.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("documents:referral_new", args=[world.client.pk]), {**referral_form(), "scan": scan}
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.client, referral.doctor_name, referral.sessions, referral.period_weeks) == (
        world.client,
        "Dr Amara Lee",
        6,
        8,
    )
    assert referral.recorded_by == world.therapist.user
    page = client.get(response["Location"]).content.decode()
    assert "Dr Amara Lee, Riverside Surgery" in page
    assert "6 sessions over 8 weeks" in page
    assert reverse("documents:referral_scan", args=[referral.pk]) in page


def test_a_referral_needs_a_period_in_weeks_or_an_end_date_not_both(client, world):
    client.force_login(world.therapist.user)
    url = reverse("documents:referral_new", args=[world.client.pk])

    neither = client.post(url, referral_form(period_weeks=""))
    both = client.post(url, referral_form(valid_until="2027-01-31"))
    until_before_written = client.post(url, referral_form(period_weeks="", valid_until="2026-11-01"))

    assert neither.status_code == both.status_code == until_before_written.status_code == 200
    assert neither.context["form"].errors["period_weeks"]
    assert both.context["form"].errors["period_weeks"]
    assert until_before_written.context["form"].errors["valid_until"]
    assert not Referral.objects.exists()


def test_a_file_disguised_as_a_pdf_is_a_field_error_on_the_page(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.therapist.user)
    fake = SimpleUploadedFile("referral.pdf", b"<html>not a pdf</html>", content_type="application/pdf")

    response = client.post(
        reverse("documents:referral_new", args=[world.client.pk]), {**referral_form(), "scan": fake}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["scan"] == ["Upload a PDF, or a photo as PNG or JPEG."]
    assert not Referral.objects.exists()


def test_the_scan_downloads_as_an_attachment_that_the_browser_may_not_sniff(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    referral = record_referral(
        world.client,
        by=world.therapist.user,
        scan=SimpleUploadedFile("x.png", png_bytes(), content_type="image/png"),
    )
    client.force_login(world.therapist.user)
    url = reverse("documents:referral_scan", args=[referral.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="referral-{referral.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response.content == png_bytes()
    record = AccessRecord.objects.get(path=url)
    assert (record.viewer, record.client, record.what) == (world.therapist.user, world.client, "referral")


def test_the_client_downloads_their_own_scan_and_no_staff_read_is_recorded(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    referral = record_referral(
        world.client,
        by=world.therapist.user,
        scan=SimpleUploadedFile("x.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    client.force_login(world.client)

    response = client.get(reverse("documents:referral_scan", args=[referral.pk]))

    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert not AccessRecord.objects.exists()


def test_the_scan_is_not_reachable_by_guessing_its_file_path(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    referral = record_referral(
        world.client,
        by=world.therapist.user,
        scan=SimpleUploadedFile("x.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    client.force_login(world.client)  # even its owner, signed in

    for guess in (
        f"/{referral.scan.name}",
        f"/media/{referral.scan.name}",
        f"/static/{referral.scan.name}",
        f"/private/{referral.scan.name}",
        f"/var/private/{referral.scan.name}",
        f"/documents/{referral.scan.name}",
    ):
        response = client.get(guess)
        assert response.status_code == 404, guess
        assert PDF_BYTES not in response.content


def test_a_referral_without_a_scan_has_no_scan_to_download(client, world):
    referral = record_referral(world.client, by=world.therapist.user)
    client.force_login(world.therapist.user)

    assert client.get(reverse("documents:referral_scan", args=[referral.pk])).status_code == 404


def test_the_front_desk_sees_no_referral_on_the_documents_page(client, world, front_desk_user):
    record_referral(world.client, by=world.therapist.user)
    client.force_login(front_desk_user)

    page = client.get(reverse("documents:client", args=[world.client.pk])).content.decode()

    assert "Dr Amara Lee" not in page
    assert "radiculopathy" not in page
    assert "Record a referral" not in page
    assert "Receipts" in page


def test_a_referral_by_its_period_in_weeks_or_until_a_date_ends_when_it_says(world):
    by_weeks = record_referral(world.client, by=world.therapist.user, written_on=date(2026, 11, 1), weeks=2)
    until = record_referral(
        world.client,
        by=world.therapist.user,
        written_on=date(2026, 11, 1),
        prescribes=Prescription(sessions=4, valid_until=date(2026, 12, 31)),
    )

    assert by_weeks.ends_on == date(2026, 11, 1) + timedelta(weeks=2)
    assert until.ends_on == date(2026, 12, 31)
    assert until.period_text == "until 31 December 2026"
