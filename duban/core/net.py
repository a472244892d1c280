"""The client's address: the one helper that the lockout, the security log and the audit trail use.

Behind the reverse proxy that docs/deploy.md prescribes, REMOTE_ADDR is the proxy's own address, so
keying anything on it makes every user one user (five bad passwords from anyone would lock an
account for everyone). `X-Forwarded-For` is trusted only when the request comes from a proxy listed
in DUBAN_TRUSTED_PROXIES (addresses or networks): the address is then the right-most entry of the
header that is not itself a trusted proxy. A forged header from anywhere else is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def from_trusted_proxy(request) -> bool:
    """Whether the request came straight from a proxy in DUBAN_TRUSTED_PROXIES (whose headers are believed)."""
    remote = _parse(getattr(request, "META", {}).get("REMOTE_ADDR", "") or "")
    return _trusted(remote, _networks(tuple(settings.DUBAN_TRUSTED_PROXIES)))


def client_address(request) -> str | None:
    """The address of the person at the other end, as far as the configured proxies tell it."""
    meta = getattr(request, "META", {})
    remote = _parse(meta.get("REMOTE_ADDR", "") or "")
    networks = _networks(tuple(settings.DUBAN_TRUSTED_PROXIES))
    if remote is None:
        return None
    if not _trusted(remote, networks):
        return str(remote)
    forwarded = [_parse(part) for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if hop is None:
            break  # a garbled hop: trust nothing beyond it
        if not _trusted(hop, networks):
            return str(hop)
    # Every hop is a trusted proxy (or the header is missing): the nearest one is all we know.
    return str(remote)
