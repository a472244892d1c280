"""Benchmark of the minutes engine: normalisation plus extraction throughput, in MB of UTF-8 text per second."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from duban.minutes.engine import extract_minutes, read_path  # noqa: E402

TEXTS = ROOT / "duban" / "minutes" / "tests" / "texts"
TARGET_MB_PER_S = 1.0


def _shared_corpus() -> list[Path]:
    """The real reports of the workplace's development corpus (../shared/corpus/minutes-dev), if here."""
    for parent in ROOT.parents:
        corpus = parent / "shared" / "corpus" / "minutes-dev"
        if corpus.is_dir():
            return sorted(corpus.glob("*.txt"))
    return []


def corpus(*, size_mb: float) -> str:
    """The fixture reports (traditional with pinyin, simplified, minutes) and the shared corpus's real
    reports, repeated to about `size_mb`."""
    reports = [read_path(path) for path in [*sorted(TEXTS.glob("*.txt")), *_shared_corpus()]]
    block = "\n".join(reports)
    copies = max(1, round(size_mb * 1_000_000 / len(block.encode("utf-8"))))
    return "\n".join([block] * copies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=2.0, help="size of the text to process")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET_MB_PER_S} MB/s")
    args = parser.parse_args(argv)

    text = corpus(size_mb=args.size_mb)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    extract_minutes(text[:20000], meeting_date=date(2018, 12, 25))  # warm the caches and lazy imports
    # CPU time of this process measures the work on one core; wall time also counts other processes' load.
    cpu_rates, wall_rates = [], []
    for _ in range(args.runs):
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        result = extract_minutes(text, meeting_date=date(2018, 12, 25))
        cpu_rates.append(megabytes / (time.process_time() - cpu_started))
        wall_rates.append(megabytes / (time.perf_counter() - wall_started))
    median = statistics.median(cpu_rates)
    print(
        f"minutes engine: {megabytes:.2f} MB, {len(result.directives)} directives, {args.runs} runs on one core: "
        f"median {median:.2f} MB/s of CPU time (best {max(cpu_rates):.2f}), "
        f"median {statistics.median(wall_rates):.2f} MB/s of wall time"
    )
    return 1 if args.check and median < TARGET_MB_PER_S else 0


if __name__ == "__main__":
    sys.exit(main())
