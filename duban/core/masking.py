"""Masking sensitive personal data (等保 2.0 data confidentiality; 个人信息保护法): the one helper that
lists, exports and the API use, so that a phone or ID number reads the same wherever it is masked.

Whether a reader sees the full value is a rule of the app that owns the data (e.g.
`accounts.rules.may_see_contact_details`); this module only masks.
"""

from __future__ import annotations

import re

MASK = "*"


def mask_phone(value: str) -> str:
    """138****5678 for a mobile number; other numbers keep their last four digits."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}{MASK * 4}{digits[-4:]}"
    keep = min(4, max(len(digits) - 4, 0))
    return MASK * (len(digits) - keep) + (digits[-keep:] if keep else "")


def mask_id_number(value: str) -> str:
    """A resident ID number (GB 11643, 18 characters): region code and last four, the birth date hidden."""
    text = (value or "").strip()
    if len(text) <= 8:
        return MASK * len(text)
    return f"{text[:6]}{MASK * (len(text) - 10)}{text[-4:]}"


MASKERS = {"phone": mask_phone, "id_number": mask_id_number}


def masked(value: str, kind: str, *, reveal: bool) -> str:
    """The value as this reader may see it: whole when `reveal`, masked otherwise."""
    if reveal or not value:
        return value or ""
    return MASKERS[kind](value)
