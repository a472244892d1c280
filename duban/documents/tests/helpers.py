"""Reading a generated .docx back for assertions."""

import io

import docx
from docx.oxml.ns import qn


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def paragraph(document, text: str):
    return next(p for p in document.paragraphs if text in p.text)


def east_asian_font(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))
