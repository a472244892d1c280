"""Reading a minutes file into text: UTF-8 (with or without BOM), GB18030/GBK, other detected encodings, .docx."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .errors import BinaryInputError, DocumentError, EmptyInputError, InputNotFoundError, UnknownEncodingError

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, .xls: binary to us
# Control characters other than tab, newline, carriage return and form feed do not occur in text.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def read_path(path: str | Path) -> str:
    """Read a .txt or .docx file into text, detecting the encoding of plain text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputNotFoundError(f"no such file: {path}") from exc
    except IsADirectoryError as exc:
        raise InputNotFoundError(f"not a file: {path}") from exc
    return read_bytes(data, filename=path.name)


def read_bytes(data: bytes, *, filename: str = "") -> str:
    """Decode uploaded bytes; a zip container (or a .docx name) is read as a Word document."""
    if not data or not data.strip():
        raise EmptyInputError("the input is empty")
    if data.startswith(_ZIP_MAGIC) or filename.lower().endswith(".docx"):
        text = _read_docx(data)
    else:
        text = _decode(data)
    if not text.strip():
        raise EmptyInputError("the input has no text")
    return text


def _read_docx(data: bytes) -> str:
    try:
        import docx  # python-docx; imported here so plain-text callers do not pay for lxml
    except ImportError as exc:  # pragma: no cover - python-docx is a declared dependency
        raise DocumentError("python-docx is not installed") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"not a readable .docx: {exc}") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise DocumentError(f"not a readable .docx: {exc}") from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    # Minutes sometimes put the agreed items in a table; keep their text after the paragraphs.
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text and (not cells or cells[-1] != cell.text):
                    cells.append(cell.text)
            if cells:
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if data.startswith(_OLE_MAGIC) or _looks_binary(data):
        raise BinaryInputError("the input is binary, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK and GB2312, the encodings Chinese Windows saves text in; Big5 is the
    # traditional one. Both often decode each other's bytes without error, so the likelier text wins.
    best_text, best_score = None, 0.0
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _common_share(text)
        if score > best_score:
            best_text, best_score = text, score
    if best_text is not None and best_score >= 0.8:
        return best_text
    return _detect(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnknownEncodingError(f"the text says {encoding} but is not") from exc


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _common_share(text: str) -> float:
    """The share of CJK characters that are among the common ones of GB2312 or Big5 (level 1)."""
    cjk = _CJK.findall(text[:20000])
    if not cjk:
        return 1.0
    return sum(_is_common(char) for char in cjk) / len(cjk)


def _is_common(char: str) -> bool:
    for encoding, low, high in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            lead = char.encode(encoding)[0]
        except UnicodeEncodeError:
            continue
        if low <= lead <= high:
            return True
    return False


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnknownEncodingError("the encoding of the text could not be detected")
    text = str(best)
    if _looks_binary(text.encode("utf-8", "replace")):
        raise BinaryInputError("the input is binary, not text")
    return text
