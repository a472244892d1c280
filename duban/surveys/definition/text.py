"""The messages' translation: the app installs Django's gettext when it starts (`apps.py`); the pure
modules call `_` so that `makemessages` finds their Chinese source strings."""

from __future__ import annotations

from collections.abc import Callable

_translator: list[Callable[[str], str]] = [lambda text: text]


def install(translate: Callable[[str], str]) -> None:
    _translator[0] = translate


def _(text: str) -> str:
    return _translator[0](text)
