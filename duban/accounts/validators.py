"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS): 等保 2.0 asks for complex passwords.

- at least three of four character classes (lower case, upper case, digits, symbols);
- not the pinyin of the user's name (full spelling, given name first or last, or initials + digits);
- not the city's name (pinyin, initials or characters) with a year, the commonest government password.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

HAN = re.compile(r"[\u4e00-\u9fff]")
PLACE_SUFFIXES = "市县区州盟旗"
YEAR = r"(?:19|20)\d{2}"


def _han(text: str) -> str:
    return "".join(HAN.findall(text or ""))


def _letters(password: str) -> str:
    return re.sub(r"[^a-z]", "", password.lower())


def name_spellings(full_name: str) -> set[str]:
    """The pinyin a user might build a password from: 张三丰 → zhangsanfeng, sanfengzhang."""
    han = _han(re.sub(r"[（(].*?[）)]", "", full_name or ""))
    if len(han) < 2:
        return set()
    syllables = lazy_pinyin(han)
    surname_length = 2 if len(han) >= 4 else 1
    surname, given = "".join(syllables[:surname_length]), "".join(syllables[surname_length:])
    return {s for s in (surname + given, given + surname) if len(s) >= 4}


def place_spellings(place: str) -> set[str]:
    """Ways to write a place in a password: 云泽市 → yunze, yz, 云泽."""
    han = _han(place).rstrip(PLACE_SUFFIXES) or _han(place)
    if not han:
        return set()
    return {"".join(lazy_pinyin(han)), "".join(lazy_pinyin(han, style=Style.FIRST_LETTER)), han}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(count)d 类。") % {
            "count": self.min_classes
        }


class NamePinyinValidator:
    def validate(self, password, user=None):
        full_name = getattr(user, "full_name", "") if user is not None else ""
        letters = _letters(password)
        if any(spelling in letters for spelling in name_spellings(full_name)):
            raise ValidationError(self.get_help_text(), code="password_is_name")
        bare_name = _han(re.sub(r"[（(].*?[）)]", "", full_name or ""))
        initials = "".join(lazy_pinyin(bare_name, style=Style.FIRST_LETTER))
        if len(initials) >= 2 and re.fullmatch(rf"{initials}[^a-z]*", password.lower()):
            raise ValidationError(self.get_help_text(), code="password_is_name")

    def get_help_text(self):
        return _("密码不能使用本人姓名的拼音。")


class CityYearValidator:
    def validate(self, password, user=None):
        lowered = password.lower()
        for place in place_spellings(settings.DUBAN_CITY_NAME):
            name = re.escape(place)
            if re.search(rf"{name}\W*{YEAR}|{YEAR}\W*{name}", lowered):
                raise ValidationError(self.get_help_text(), code="password_is_city_year")

    def get_help_text(self):
        return _("密码不能使用“城市名称 + 年份”之类的组合（如 %(example)s）。") % {
            "example": "".join(
                lazy_pinyin(_han(settings.DUBAN_CITY_NAME).rstrip(PLACE_SUFFIXES))
            ).capitalize()
            + "@2024"
        }


class MinimumLengthValidator:
    """At least `min_length` characters (Django's own message is not translated in its 5.2 catalogue)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return _("密码至少需要 %(count)d 个字符。") % {"count": self.min_length}
