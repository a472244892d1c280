"""The load test's data and sessions (run by `bench/load.py` with the server's environment).

Migrates the database, writes the province's dataset (`bench/dataset.py`) with a liaison for each of
the first units and a user for every leader, opens this week's weekly cycle for the liaisons' units,
then signs every user in (a session each, as the login page would leave it, the second factor
confirmed where one is required) and writes what locust needs to a JSON file: each user's session
key and the directives, reportable directives and weekly items in their reach.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import dataset  # noqa: E402
from duban.accounts.models import User  # noqa: E402
from duban.audit.context import audit_context  # noqa: E402
from duban.audit.models import Channel  # noqa: E402
from duban.directives import selectors as directives  # noqa: E402
from duban.directives.models import Directive, ProgressReport  # noqa: E402
from duban.directives.services import recompute_lights_job  # noqa: E402
from duban.directives.workflow import WORKING  # noqa: E402
from duban.weekly import selectors as weekly  # noqa: E402
from duban.weekly.services import cycle_open, cycle_sync  # noqa: E402


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "duban.accounts.backends.BoundedModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if user.needs_second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="load", defaults={"confirmed": True})
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def _entry(role: str, user: User, sample: int) -> dict:
    visible = directives.directive_list(user=user).order_by("pk").values_list("pk", flat=True)
    entry = {"role": role, "username": user.username, "session": _session(user)}
    entry["directives"] = list(visible[:: max(1, visible.count() // sample)][:sample])
    if role == "liaison":
        # Progress is reported while the unit works on it (not once completion is asked for).
        working = directives.directive_list(user=user).filter(lead_unit_id=user.unit_id, state__in=WORKING)
        entry["reportable"] = list(working.order_by("pk").values_list("pk", flat=True)[:sample])
        report = weekly.my_report(user=user)
        items = weekly.report_items(user=user, report=report) if report else []
        entry["items"] = [item.pk for item in items][:sample]
    return entry


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sessions_file", type=Path)
    parser.add_argument("--directives", type=int, required=True)
    parser.add_argument("--progress", type=int, required=True)
    parser.add_argument("--liaisons", type=int, required=True)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--sessions-only", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not args.sessions_only:
        with audit_context(channel=Channel.COMMAND):
            data = dataset.populate(
                directives=args.directives, progress=args.progress, liaisons=args.liaisons
            )
            recompute_lights_job(notify=False)
            cycle, _ = cycle_open(day=timezone.localdate())
            if cycle is not None:
                cycle_sync(cycle=cycle, unit_ids=[u.unit_id for u in data.liaison_users])
    office = User.objects.get(username="bench-office")
    leaders = User.objects.filter(username__startswith="bench-leader").order_by("username")
    liaisons = User.objects.filter(username__regex=r"^bench-liaison[0-9]+$").order_by("username")
    users = [_entry("office", office, args.sample)]
    users += [_entry("leader", user, args.sample) for user in leaders]
    users += [_entry("liaison", user, args.sample) for user in liaisons]
    summary = {
        "directives": Directive.objects.count(),
        "progress entries": ProgressReport.objects.count(),
        "leaders": len(leaders),
        "liaisons": len(liaisons),
        "weekly items": sum(len(u.get("items", [])) for u in users),
    }
    args.sessions_file.write_text(json.dumps({"summary": summary, "users": users}))


if __name__ == "__main__":
    main()
