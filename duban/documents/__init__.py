"""Word documents in the Chinese official-document layout (公文格式, GB/T 9704-2012), built with
python-docx: a general builder (`official_document`) and the supervision notice (督办通知单).

No models and no database: functions take text and dates and return a document or its bytes.
"""

from .dates import chinese_date, chinese_number
from .notices import notice_number, supervision_notice_docx
from .official import DocumentTable, Fonts, Section, document_bytes, issuer_name, official_document

__all__ = [
    "DocumentTable",
    "Fonts",
    "Section",
    "chinese_date",
    "chinese_number",
    "document_bytes",
    "issuer_name",
    "notice_number",
    "official_document",
    "supervision_notice_docx",
]
