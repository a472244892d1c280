"""A project's attachments: checked for what they are, and attached by the project's own people."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.bonds import services
from duban.core.errors import NotPermitted


def test_a_file_that_is_not_what_it_says_is_refused(city, project):
    fake = SimpleUploadedFile("法律意见书.pdf", b"not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        services.document_add(project=project, by=city.liaison, kind="legal_opinion", upload=fake)


def test_another_unit_attaches_nothing(city, project):
    upload = SimpleUploadedFile("法律意见书.pdf", b"%PDF-1.4 x", "application/pdf")
    with pytest.raises(NotPermitted):
        services.document_add(project=project, by=city.housing_liaison, kind="legal_opinion", upload=upload)
