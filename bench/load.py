"""The load test (issue 12): a province's data in a database of its own, `duban serve` in front of it, and
locust's crowd of the office, leaders and liaisons (`bench/locustfile.py`) for a while; then the median
and 95th percentile of each kind of request, and every error.

    .venv/bin/python bench/load.py postgres             # 50 users for 60 s, reads (PostgreSQL)
    .venv/bin/python bench/load.py sqlite --writes      # 20 users for 30 s, with writes (embedded SQLite)
    make load                                           # both

PostgreSQL: the database named by --database-url (default duban_load on 127.0.0.1) is dropped and made
again, unless --reuse finds the dataset already there. SQLite: a file in a temporary data folder.
The server is started with `duban serve --host … --port …` alone, so that whatever serves the app
(threads or worker processes, the serve command's own defaults) is what is measured. Exit status 1
when any request failed. Figures are only comparable on a quiet machine: say how busy it was.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent

PROFILES = {
    # users, seconds, directives, progress entries
    "postgres": (50, 60, 100_000, 1_000_000),
    "sqlite": (20, 30, 20_000, 200_000),
}
SAMPLE = 40  # directive ids handed to each signed-in user


def _arguments(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database", choices=sorted(PROFILES))
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--directives", type=int)
    parser.add_argument("--progress", type=int)
    parser.add_argument("--liaisons", type=int, default=20, help="liaison accounts (one unit each)")
    parser.add_argument(
        "--writes",
        action="store_true",
        help="liaisons report progress and fill the weekly form, leaders write instructions",
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/duban_load")
    parser.add_argument("--reuse", action="store_true", help="keep a PostgreSQL dataset already loaded")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--out", type=Path, help="folder for locust's CSV files and the server's log")
    args = parser.parse_args(argv)
    users, seconds, directives, progress = PROFILES[args.database]
    args.users = args.users or users
    args.seconds = args.seconds or seconds
    args.directives = args.directives or directives
    args.progress = args.progress if args.progress is not None else progress
    return args


def _environment(args, data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DUBAN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("DUBAN_DEBUG", None)
    if args.database == "postgres":
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def _prepare_postgres(args) -> bool:
    """A fresh database (True), or the one already loaded (False, with --reuse)."""
    import psycopg

    url, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and args.reuse:
            return False
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return True


def _load(args, env: dict[str, str], sessions_file: Path, fresh: bool) -> None:
    """Migrate, write the dataset (when fresh) and the users' sessions, in a child process with the
    server's environment (Django is set up once per process)."""
    command = [
        sys.executable, str(HERE / "load_data.py"), str(sessions_file),
        "--directives", str(args.directives), "--progress", str(args.progress),
        "--liaisons", str(args.liaisons), "--sample", str(SAMPLE),
    ]  # fmt: skip
    if not fresh:
        command.append("--sessions-only")
    subprocess.run(command, env=env, check=True, cwd=ROOT)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(args, env: dict[str, str], log: Path) -> subprocess.Popen:
    args.port = args.port or _free_port()
    command = [str(BIN / "duban"), "serve", "--host", "127.0.0.1", "--port", str(args.port)]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 600  # a first start compresses the static files
    url = f"http://127.0.0.1:{args.port}/accounts/login/"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"duban serve stopped ({server.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    _stop(server)
    raise SystemExit(f"duban serve did not answer within 600 s; see {log}")


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (the serve command and any workers it started)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _locust(args, env: dict[str, str], sessions_file: Path, prefix: Path) -> None:
    command = [
        str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
        "--users", str(args.users), "--spawn-rate", str(max(1, args.users // 5)),
        "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{args.port}",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30",
    ]  # fmt: skip
    locust_env = {
        **env,
        "DUBAN_LOAD_SESSIONS": str(sessions_file),
        "DUBAN_LOAD_WRITES": "1" if args.writes else "",
    }
    # locust exits 1 when a request failed: the report below says which. Its own tables go to a file.
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(command, env=locust_env, cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)


def report(prefix: Path) -> int:
    """Print each kind of request's count, p50, p95 and failures; return the failures."""
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\n{'request':<44} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6}")
    for row in rows:
        name = row["Name"] if row["Type"] else "all requests"
        print(
            f"{(row['Type'] + ' ' + name).strip()[:44]:<44} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Requests/s']):>6.1f}"
        )
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(newline="") as failures:
            for row in csv.DictReader(failures):
                print(f"  failed: {row['Method']} {row['Name']} ×{row['Occurrences']}: {row['Error'][:200]}")
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    return int(total["Failure Count"]) if total else 0


def main(argv=None) -> int:
    args = _arguments(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix=f"duban-load-{args.database}-"))
    out.mkdir(parents=True, exist_ok=True)
    data_dir = out / "data"
    data_dir.mkdir(exist_ok=True)
    env = _environment(args, data_dir)
    fresh = _prepare_postgres(args) if args.database == "postgres" else True
    sessions_file = out / "sessions.json"
    started = time.monotonic()
    _load(args, env, sessions_file, fresh)
    print(f"[load] dataset ready in {time.monotonic() - started:.0f} s ({out})", flush=True)
    server = _serve(args, env, out / "server.log")
    try:
        print(
            f"[load] {args.users} users for {args.seconds} s on {args.database}"
            f"{' with writes' if args.writes else ''}; load average before: {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        _locust(args, env, sessions_file, out / "locust")
        print(f"[load] load average after: {os.getloadavg()[0]:.2f}")
    finally:
        _stop(server)
    failures = report(out / "locust")
    summary = json.loads(sessions_file.read_text())["summary"]
    print(f"[load] dataset: {summary}")
    print(f"[load] {'no errors' if not failures else f'{failures} requests failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
