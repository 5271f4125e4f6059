"""Build benchmark: load, reason, validate, store (and checks) at each scale, time and peak memory
per step, the fast rules against owlrl measured in the same run.

    python bench/build.py --scales 3 30 300 --owlrl-max 3

Each build runs in a subprocess of its own, so peak memory (getrusage ru_maxrss, the peak
resident set of that process up to the end of the step) is the build's alone; a line per scale
gives each step's own peak (VmHWM, reset as each step ends, on Linux), and one the generator's
seconds. owlrl runs only up to --owlrl-max replicas: it needs minutes beyond that. At about 1M
asserted triples (scale 270), skip the shipped rows and owlrl:

    python bench/build.py --scales 270 --owlrl-max 0 --skip-shipped
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("load", "reason", "validate", "store", "check")


def child(data_dir: str, reasoner: str, cache_dir: str, store_path: str) -> None:
    """Build once; print {step: [seconds, peak MiB, the step's own peak MiB]} and the triple
    counts as JSON."""
    from secgraph.build.pipeline import build
    from secgraph.config import Settings

    measured: dict[str, list[float]] = {}
    _reset_step_peak()

    def on_step(step: str, seconds: float) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        measured[step] = [seconds, peak, _step_peak(peak)]
        _reset_step_peak()

    settings = Settings(
        root=ROOT,
        data_dir=Path(data_dir) if data_dir else Path("data"),
        reasoner=reasoner,
        cache_dir=Path(cache_dir) if cache_dir else None,
        store_path=Path(store_path) if store_path else None,
    )
    started = perf_counter()
    built = build(settings, on_step=on_step)
    seconds = perf_counter() - started
    sizes = built.store.graph_sizes()
    inferred = sizes.get("https://w3id.org/secgraph/graph/inferred", 0)
    asserted = sum(sizes.values()) - inferred
    result = {"steps": measured, "seconds": seconds, "asserted": asserted, "inferred": inferred}
    print(json.dumps(result))


def _step_peak(fallback: float) -> float:
    """Peak resident MiB since the last _reset_step_peak (Linux VmHWM), else ``fallback``."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return fallback
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else fallback


def _reset_step_peak() -> None:
    # Writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one (proc(5)).
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run(data_dir: str, reasoner: str, cache_dir: str, store_path: str = "") -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", data_dir, reasoner, cache_dir, store_path]
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def total(result: dict[str, Any]) -> float:
    """Wall-clock seconds of build(), warm-start check included."""
    return float(result["seconds"])


def peak(result: dict[str, Any]) -> float:
    return max(float(step[1]) for step in result["steps"].values())


def step_peaks(label: str, result: dict[str, Any]) -> str:
    """One line: each step's own peak resident MiB (not the build's peak up to it)."""
    steps = result["steps"]
    cells = [f"{s} {steps[s][2]:.0f}" for s in STEPS if s in steps and len(steps[s]) > 2]
    return f"{label}: peak MiB per step: " + ", ".join(cells)


def row(label: str, result: dict[str, Any]) -> str:
    steps = result["steps"]
    cells = [f"{steps[s][0]:.2f}" if s in steps else "-" for s in STEPS]
    return (
        f"| {label} | {result['asserted']} | {result['inferred']} | "
        + " | ".join(cells)
        + f" | {total(result):.2f} | {peak(result):.0f} |"
    )


def shipped(work: Path) -> list[str]:
    """The shipped graph: cold without the closure cache, cold with it, warm restart."""
    cache, store = str(work / "cache"), str(work / "store")
    no_cache = run("", "fast", "")
    cached_cold = run("", "fast", cache)  # first: fills the cache
    cached_cold = run("", "fast", cache)
    run("", "fast", cache, store)
    warm = run("", "fast", cache, store)
    owlrl = run("", "owlrl", "")
    return [
        row("shipped, fast, closure not cached", no_cache),
        row("shipped, fast, closure cached", cached_cold),
        row("shipped, owlrl", owlrl),
        row("shipped, warm restart (store reused)", warm),
        f"shipped: owlrl / fast (closure cached) = {total(owlrl) / total(cached_cold):.1f}x",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[3, 30])
    parser.add_argument("--owlrl-max", type=int, default=3, help="largest scale owlrl runs at")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument(
        "--skip-shipped", action="store_true", help="only the generated scales (large runs)"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="secgraph-bench-"))
    header = "| build | asserted | inferred | " + " | ".join(STEPS) + " | build() s | peak MiB |"
    lines = [header, "|" + "---|" * (len(STEPS) + 5)]
    measurements: dict[str, Any] = {}
    try:
        if not args.skip_shipped:
            lines += shipped(work)
        for scale in args.scales:
            data = work / f"data-{scale}"
            generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", str(scale)]
            generate += ["--seed", str(args.seed), "--out", str(data)]
            started = perf_counter()
            subprocess.run(generate, check=True, capture_output=True)  # noqa: S603
            generated = perf_counter() - started
            fast = run(str(data), "fast", str(work / "cache"))
            lines.append(row(f"scale {scale}, fast", fast))
            lines.append(f"scale {scale}: generated in {generated:.1f} s")
            lines.append(step_peaks(f"scale {scale}, fast", fast))
            fast["generate_seconds"] = generated
            measurements[f"{scale}/fast"] = fast
            if scale <= args.owlrl_max:
                owlrl = run(str(data), "owlrl", "")
                lines.append(row(f"scale {scale}, owlrl", owlrl))
                lines.append(f"scale {scale}: owlrl / fast = {total(owlrl) / total(fast):.1f}x")
                measurements[f"{scale}/owlrl"] = owlrl
            else:
                lines.append(f"scale {scale}: owlrl skipped (above --owlrl-max {args.owlrl_max})")
            print("\n".join(lines), flush=True)
            lines = []
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(measurements, indent=1))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        sys.exit(main())
