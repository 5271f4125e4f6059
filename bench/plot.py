"""Plot of build time and endpoint throughput against scale, from the JSON the benchmarks write.

    python bench/build.py --scales 3 30 100 270 --owlrl-max 3 --json var/bench/build.json
    python bench/endpoint.py --scales 0 3 --seconds 2 --json var/bench/endpoint.json
    python bench/plot.py --build var/bench/build.json --endpoint var/bench/endpoint.json \
        --out docs/performance.png
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # after choosing the backend


def plot_build(axis: Any, build: dict[str, Any]) -> None:
    """Seconds per step of the fast builds, stacked, against the triples in the store (owlrl
    runs, kept under "<scale>/owlrl", would share a bar with the fast run of their scale)."""
    fast = [run for key, run in build.items() if key.endswith("/fast")]
    runs = sorted(fast, key=lambda run: run["asserted"])
    triples = [(run["asserted"] + run["inferred"]) / 1000 for run in runs]
    bottom = [0.0] * len(runs)
    for step in ("load", "reason", "validate", "store", "check"):
        seconds = [run["steps"].get(step, [0.0])[0] for run in runs]
        axis.bar([str(round(t)) for t in triples], seconds, bottom=bottom, label=step)
        bottom = [b + s for b, s in zip(bottom, seconds, strict=True)]
    axis.set_xlabel("thousand triples (asserted + inferred)")
    axis.set_ylabel("build seconds")
    axis.set_title("build time per step")
    axis.legend()


def plot_endpoint(axis: Any, endpoint: list[dict[str, Any]], concurrency: int) -> None:
    """Requests/s of each server on the competency queries, against scale."""
    scales = [str(run["scale"]) for run in endpoint]
    targets = ("secgraph", "secgraph+cache", "oxigraph", "rdflib-endpoint")
    for target in targets:
        rates = []
        for run in endpoint:
            workload = next(name for name in run["results"] if name.startswith("competency"))
            rates.append(run["results"][workload][f"{target}@{concurrency}"]["rps"])
        axis.plot(scales, rates, marker="o", label=target)
    floors = [run["results"]["floor"][f"floor@{concurrency}"]["rps"] for run in endpoint]
    axis.plot(scales, floors, linestyle="--", color="grey", label="floor (constant route)")
    axis.set_yscale("log")
    axis.set_xlabel("scale (0: shipped graph)")
    axis.set_ylabel("requests/s")
    axis.set_title(f"competency queries, {concurrency} concurrent clients")
    axis.legend()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True, help="bench/build.py --json output")
    parser.add_argument("--endpoint", type=Path, required=True, help="bench/endpoint.py --json")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("docs/performance.png"))
    args = parser.parse_args(argv)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    plot_build(left, json.loads(args.build.read_text()))
    plot_endpoint(right, json.loads(args.endpoint.read_text()), args.concurrency)
    figure.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.out, dpi=100)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
