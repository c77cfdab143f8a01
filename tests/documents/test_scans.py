"""A referral's scan: a PDF, PNG or JPEG by its content, within the size limit, kept where no URL
reaches it, under a name that says nothing about whose it is."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Referral
from documents.storage import private_storage

from .conftest import PDF_BYTES, jpeg_bytes, png_bytes, record_referral


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        ("referral.pdf", PDF_BYTES, "application/pdf", "application/pdf"),
        ("photo.png", png_bytes(), "image/png", "image/png"),
        ("photo.jpg", jpeg_bytes(), "image/jpeg", "image/jpeg"),
        # The browser's word and the name count for nothing: the content says PNG.
        ("scan.pdf", png_bytes(), "application/pdf", "image/png"),
    ],
)
def test_a_pdf_png_or_jpeg_scan_is_kept_with_the_type_its_content_shows(
    world, name, content, content_type, stored_as
):
    referral = record_referral(
        world.client, by=world.therapist.user, scan=upload(name, content, content_type)
    )

    assert referral.scan_content_type == stored_as
    with referral.scan.open("rb") as kept:
        assert kept.read() == content


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("referral.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("referral.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/png"),
        ("referral.jpg", b"MZ\x90\x00 an executable", "image/jpeg"),
        ("referral.docx", b"PK\x03\x04 a word document", "application/pdf"),
        ("empty.pdf", b"", "application/pdf"),
        # A PNG's first bytes and nothing of a PNG after them.
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_image_is_refused_whatever_its_name_says(
    world, name, content, content_type
):
    with pytest.raises(ValidationError) as refused:
        record_referral(world.client, by=world.therapist.user, scan=upload(name, content, content_type))

    assert "scan" in refused.value.message_dict
    assert not Referral.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


def test_a_scan_over_the_size_limit_is_refused_and_nothing_is_stored(world, settings):
    settings.REFERRAL_SCAN_MAX_BYTES = 1024
    too_big = PDF_BYTES + b"%" + b"x" * 1024

    with pytest.raises(ValidationError) as refused:
        record_referral(world.client, by=world.therapist.user, scan=upload("big.pdf", too_big))

    assert "The file is too big" in refused.value.message_dict["scan"][0]
    assert not Referral.objects.exists()


def test_the_default_size_limit_is_five_megabytes(world):
    five_megabytes_and_one = PDF_BYTES + b"%" * (5 * 1024 * 1024 - len(PDF_BYTES) + 1)

    with pytest.raises(ValidationError) as refused:
        record_referral(world.client, by=world.therapist.user, scan=upload("big.pdf", five_megabytes_and_one))

    assert refused.value.message_dict["scan"] == [
        "The file is too big: at most 5 MB. Scan it at a lower resolution."
    ]


def test_a_scan_is_stored_outside_the_web_root_under_a_random_name(world):
    scan = upload("Sam Jones referral.pdf", PDF_BYTES)

    first = record_referral(world.client, by=world.therapist.user, scan=scan)
    second = record_referral(
        world.client, by=world.therapist.user, scan=upload("Sam Jones referral.pdf", PDF_BYTES)
    )

    path = Path(first.scan.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert not any(path.is_relative_to(Path(folder)) for folder in settings.STATICFILES_DIRS)
    assert "sam" not in first.scan.name.lower() and "jones" not in first.scan.name.lower()
    assert str(world.client.pk) not in Path(first.scan.name).parts[:-1]
    assert first.scan.name != second.scan.name
    assert len(Path(first.scan.name).stem) == 32


def test_the_private_storage_has_no_url_to_link_to():
    with pytest.raises(NotImplementedError):
        private_storage().url("referrals/anything.pdf")
