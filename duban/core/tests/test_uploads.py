"""Evidence formats units produce every week are accepted when their content is what their name says;
a refusal names the file and says why."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.core.uploads import EVIDENCE, OLE2, check_upload


def zipped(**entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


OLE_FILE = OLE2 + b"\x00" * 504
OFD = zipped(**{"OFD.xml": "<ofd:OFD/>", "Doc_0__Document.xml": "<ofd:Document/>"})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("情况说明.doc", OLE_FILE),
        ("台账.xls", OLE_FILE),
        ("汇报.wps", OLE_FILE),
        ("统计.et", OLE_FILE),
        ("批复.ofd", OFD),
        ("现场照片.zip", zipped(**{"a.jpg": "x"})),
    ],
)
def test_the_older_office_wps_ofd_and_zip_evidence_is_accepted(name, content):
    check_upload(SimpleUploadedFile(name, content), allowed=EVIDENCE)


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("情况说明.doc", b"%PDF-1.7 renamed", "文件内容与扩展名“.doc”不符"),
        ("统计.et", zipped(**{"a.txt": "x"}), "文件内容与扩展名“.et”不符"),
        ("批复.ofd", zipped(**{"a.txt": "x"}), "压缩包内没有 OFD.xml"),
        ("批复.ofd", OLE_FILE, "文件内容与扩展名“.ofd”不符"),
        ("照片.zip", b"PK\x03\x04 but not an archive", "文件内容与扩展名“.zip”不符"),
        ("病毒.exe", b"MZ", "不支持的文件类型“.exe”"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused_by_name(name, content, why):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content), allowed=EVIDENCE)
    message = refused.value.messages[0]
    assert f"文件“{name}”未能接收" in message and why in message


def test_an_archive_is_not_unpacked_only_its_directory_read(monkeypatch):
    archive = zipped(**{"big.bin": "x" * 10000})
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(zipfile.ZipFile, "extractall", lambda *a, **k: opened.append(a))
    check_upload(SimpleUploadedFile("a.zip", archive), allowed=EVIDENCE)
    check_upload(SimpleUploadedFile("b.ofd", OFD), allowed=EVIDENCE)
    assert opened == []
