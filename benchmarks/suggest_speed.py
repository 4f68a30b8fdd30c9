"""Claim suggestion speed: milliseconds per 10,000 words (segment, filter, score).

    .venv/bin/python benchmarks/suggest_speed.py [--repeats 20]

The text is the seed article repeated to 10,000 words (page furniture, captions,
Cyrillic and all), plus one run at the 2,000,000-character input limit. Language
identification and the trained model (English) are part of the time; loading them once
per process (about a second) is done before timing and printed apart. No
database is used. Median and p95 of the repeats are printed; the machine is
shared, so compare medians from the same run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from claims.text.suggest import MAX_TEXT_CHARS, analyse  # noqa: E402

SEED = ROOT / "claims" / "demo" / "sputnik-russia-belarus-2023-12-13.txt"


def text_of(words):
    seed = SEED.read_text(encoding="utf-8")
    copies = words // len(seed.split()) + 1
    text = "\n\n".join([seed] * copies)
    # Cut at a line boundary close to the word count.
    out, count = [], 0
    for line in text.split("\n"):
        out.append(line)
        count += len(line.split())
        if count >= words:
            break
    return "\n".join(out), count


def timed(text, repeats, cpu=None):
    """Wall milliseconds per run; the process's CPU milliseconds appended to cpu if given
    (on a shared, loaded machine CPU time varies less than wall time)."""
    runs = []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        suggestions, dropped = analyse(text)
        runs.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return runs, len(suggestions), len(dropped)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--no-limit-run", action="store_true", help="skip the run at the input limit"
    )
    args = parser.parse_args()

    text, words = text_of(10_000)
    start = time.perf_counter()
    analyse("The ministry said on Monday that 41.2% of 9,000 soldiers left Minsk in 2023.")
    print(
        f"first call (loads the language identifier and the model): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    cpu = []
    runs, kept, dropped = timed(text, args.repeats, cpu)
    per_10k = [ms * 10_000 / words for ms in runs]
    cpu_10k = [ms * 10_000 / words for ms in cpu]
    print(f"text: {words:,} words, {len(text):,} characters; {kept} suggested, {dropped} dropped")
    print(
        f"suggestion time per 10,000 words: median {statistics.median(per_10k):.1f} ms, "
        f"p95 {sorted(per_10k)[int(0.95 * (len(per_10k) - 1))]:.1f} ms, "
        f"min {min(per_10k):.1f} ms ({args.repeats} runs); CPU median "
        f"{statistics.median(cpu_10k):.1f} ms, min {min(cpu_10k):.1f} ms; "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    if args.no_limit_run:
        return
    big, big_words = text_of(MAX_TEXT_CHARS // 6)
    big = big[:MAX_TEXT_CHARS]
    runs, kept, _ = timed(big, 3)
    print(
        f"at the input limit ({len(big):,} characters, ~{big_words:,} words): "
        f"median {statistics.median(runs):.0f} ms, {kept:,} suggested"
    )


if __name__ == "__main__":
    main()
