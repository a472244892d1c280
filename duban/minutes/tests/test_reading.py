"""Reading minutes files: encodings, BOM, .docx and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.minutes.engine import (
    BinaryInputError,
    EmptyInputError,
    InputNotFoundError,
    UnknownEncodingError,
    read_bytes,
    read_path,
)

TEXTS = Path(__file__).with_name("texts")
SAMPLE = "会议强调，要加快推进专项债券项目建设，确保12月底前完成发行。"


def test_utf8_text_is_read_as_is():
    assert read_bytes(SAMPLE.encode("utf-8")) == SAMPLE


def test_utf8_byte_order_mark_is_dropped():
    assert read_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")) == SAMPLE


def test_gbk_encoded_bytes_are_detected():
    assert read_bytes(SAMPLE.encode("gbk")) == SAMPLE


def test_gb18030_encoded_bytes_are_detected():
    assert read_bytes(SAMPLE.encode("gb18030")) == SAMPLE


def test_big5_encoded_traditional_text_is_detected():
    traditional = "會議強調，要加快推進專項債券項目建設，確保年底前完成發行任務，各縣區要明確時間表。"
    assert read_bytes(traditional.encode("big5")) == traditional


def test_utf16_with_byte_order_mark_is_read():
    assert read_bytes(SAMPLE.encode("utf-16")) == SAMPLE


def test_docx_paragraphs_and_tables_are_read(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("12月25日，市长朱是西主持召开市长议事会。")
    document.add_paragraph(SAMPLE)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "事项"
    table.rows[0].cells[1].text = "各县区要在3月15日前报送项目清单。"
    path = tmp_path / "纪要.docx"
    document.save(path)
    text = read_path(path)
    assert "市长议事会" in text
    assert SAMPLE in text
    assert "3月15日前报送项目清单" in text


def test_missing_file_raises_not_found(tmp_path):
    with pytest.raises(InputNotFoundError) as caught:
        read_path(tmp_path / "nope.txt")
    assert caught.value.code == "not_found"


def test_empty_file_raises_empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(EmptyInputError) as caught:
        read_path(path)
    assert caught.value.code == "empty"


def test_binary_bytes_raise_binary():
    with pytest.raises(BinaryInputError) as caught:
        read_bytes(bytes(range(256)) * 10)
    assert caught.value.code == "binary"


def test_undecodable_bytes_raise_unknown_encoding():
    # Lone lead bytes of no multi-byte encoding: neither UTF-8, GB18030 nor Big5, and nothing detectable.
    with pytest.raises(UnknownEncodingError) as caught:
        read_bytes(b"\x81\xff\x82\xfe\x83\xff\x84\xfe" * 50)
    assert caught.value.code == "encoding"


def test_declared_bom_that_lies_raises_unknown_encoding():
    with pytest.raises(UnknownEncodingError):
        read_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("gbk"))


def test_gbk_fixture_file_reads_like_its_utf8_original():
    assert read_path(TEXTS / "changwu_numbered_gbk.txt") == read_path(TEXTS / "changwu_numbered.txt")


def test_bom_fixture_file_reads_like_its_original_without_the_mark():
    text = read_path(TEXTS / "traditional_speech_bom.txt")
    assert not text.startswith("\ufeff")
    assert text == read_path(TEXTS / "traditional_speech.txt")
