"""Password checks that cannot be used to exhaust the server (等保 2.0: identification and authentication).

Each Argon2 check allocates its memory cost (19 MiB, accounts/hashers.py). Three bounds keep a flood
of logins from taking the server down or guessing passwords:

- at most DUBAN_LOGIN_CONCURRENCY password checks run at once in a process; a login that waits
  longer than DUBAN_LOGIN_WAIT_SECONDS for its turn is refused as a failed attempt;
- each client address (core.net.client_address) may fail DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT times per
  cool-off window, whatever user names it tries (random names cost as much as real ones: Django's
  ModelBackend hashes the password once for an unknown name too); past that the address is locked
  out with the same page as django-axes' per-user-name lockout, which runs before this backend;
- the user name and address together lock after AXES_FAILURE_LIMIT failures (django-axes).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from duban.core.net import client_address

_slots: threading.BoundedSemaphore | None = None
_slots_size = 0
_slots_lock = threading.Lock()


def password_check_slots() -> threading.BoundedSemaphore:
    """The process's semaphore, sized by the setting (re-made when a test changes the setting)."""
    global _slots, _slots_size
    size = max(1, int(settings.DUBAN_LOGIN_CONCURRENCY))
    with _slots_lock:
        if _slots is None or _slots_size != size:
            _slots, _slots_size = threading.BoundedSemaphore(size), size
        return _slots


def _address_key(address: str) -> str:
    return f"login-failures:{address}"


def address_failures(address: str | None) -> int:
    return int(cache.get(_address_key(address), 0)) if address else 0


def note_address_failure(address: str | None) -> None:
    if not address:
        return
    key = _address_key(address)
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)


class BoundedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        address = client_address(request) if request is not None else None
        if address_failures(address) >= settings.DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT:
            if request is not None:
                request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise PermissionDenied
        slots = password_check_slots()
        if not slots.acquire(timeout=settings.DUBAN_LOGIN_WAIT_SECONDS):
            raise PermissionDenied
        try:
            user = super().authenticate(request, username=username, password=password, **kwargs)
        finally:
            slots.release()
        if user is None and password is not None:
            note_address_failure(address)
        return user
