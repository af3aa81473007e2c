"""Run the benchmarks and write bench-results.json: `python tests/bench/run.py [NAME ...]`.

NAME is a module suffix (`work_orders` runs tests/bench/bench_work_orders.py); no NAME runs all.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent
RESULTS = ROOT / "bench-results.json"

if str(ROOT) not in sys.path:
    # Run as a script, Python puts tests/bench first on the path, not the repository root.
    sys.path.insert(0, str(ROOT))

from tests.bench import Figure  # noqa: E402


def available() -> list[str]:
    return sorted(path.stem.removeprefix("bench_") for path in BENCH_DIR.glob("bench_*.py"))


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def describe(figure: Figure) -> str:
    line = f"{figure.bench:12} {figure.figure:52} {number(figure.value):>10} {figure.unit}"
    if figure.baseline is not None:
        line += f"  (bare {number(figure.baseline)} {figure.unit}, ratio {figure.ratio:.2f})"
    line += f"  target {figure.target}"
    if figure.met is not None:
        line += "  MET" if figure.met else "  NOT MET"
    return line


def main(argv: list[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"one of {', '.join(names)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(names))
    if unknown:
        parser.error(f"no bench {', '.join(unknown)}; choose from {', '.join(names)}")
    records = []
    for name in args.names or names:
        module = importlib.import_module(f"tests.bench.bench_{name}")
        began = time.perf_counter()
        print(f"== {name}", flush=True)
        for figure in module.run():
            print(describe(figure), flush=True)
            records.append(figure.record())
        print(f"== {name} took {time.perf_counter() - began:.0f} s", flush=True)
    RESULTS.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
