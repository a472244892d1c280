"""The supervision notice (督办通知单) the office issues to a unit about its late matters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .dates import chinese_date
from .official import Section, document_bytes, issuer_name, official_document


def notice_number(year: int, number: str | int) -> str:
    """〔2026〕第12号. A number that is already written out (it contains 〔) is kept as given."""
    text = str(number).strip()
    if "〔" in text:
        return text
    if text.isdigit():
        # GB/T 9704: no leading zeros in a sequence number.
        text = str(int(text))
    return _("〔%(year)s〕第%(number)s号") % {"year": year, "number": text}


def _deadline(value: date | str | None) -> str:
    # A date means "by that day"; a text ("2026年12月15日前", "每月5日前") is kept as written.
    if isinstance(value, date):
        return _("%(date)s前") % {"date": chinese_date(value)}
    return str(value or "").strip().rstrip("。")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(("。", "！", "？", "；", ".", "!", "?")) else f"{text}。"


def supervision_notice_docx(
    *,
    number: str,
    year: int,
    addressee: str,
    matters: Sequence[Mapping],
    reply_deadline: date,
    office_name: str,
    issued_on: date,
    city_name: str,
    title: str | None = None,
) -> bytes:
    """The notice as a .docx file: masthead, number, title, the addressee unit, each matter with its
    deadline and requirement, the date by which the unit replies, the issuing office and date.

    matters: [{"title": str, "deadline": date | str | None, "requirement": str}, ...], at least one.
    title: the document's name when it is not the plain 督办通知单 (a step of an escalation ladder:
    蓝色督办单).
    The wording is that of the platform's language (settings.LANGUAGE_CODE), not of whoever clicks: the
    notice is an official document of the city, whatever language the user's screen is in.
    """
    if not matters:
        raise ValueError("supervision_notice_docx() needs at least one matter")
    if any(not str(m.get("title") or "").strip() for m in matters):
        raise ValueError("supervision_notice_docx(): every matter needs a title")
    issuer = issuer_name(city_name, office_name)
    with translation.override(settings.LANGUAGE_CODE):
        sections: list[Section | str] = [
            _(
                "根据市政府督查工作安排，现将你单位承办的下列事项予以督办。请高度重视，逐项研究，"
                "落实责任，采取有效措施加快推进，确保按要求完成。"
            )
        ]
        for matter in matters:
            paragraphs = []
            if deadline := _deadline(matter.get("deadline")):
                paragraphs.append(_("办理时限：%(deadline)s。") % {"deadline": deadline})
            if requirement := _sentence(str(matter.get("requirement") or "")):
                paragraphs.append(_("工作要求：%(requirement)s") % {"requirement": requirement})
            sections.append(Section(heading=str(matter["title"]).strip(), paragraphs=paragraphs))
        sections.append(
            _(
                "请于%(date)s前将办理情况（工作进展、存在问题、下一步措施及完成时限）书面报送%(office)s。"
                "逾期未报送或办理不力的，将按有关规定予以通报。"
            )
            % {"date": chinese_date(reply_deadline), "office": office_name}
        )
        document = official_document(
            issuer=issuer,
            number=notice_number(year, number),
            title=title or _("督办通知单"),
            addressee=addressee,
            sections=sections,
            signature=issuer,
            signed_on=issued_on,
        )
    return document_bytes(document)
