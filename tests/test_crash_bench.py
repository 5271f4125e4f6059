"""A short run of bench/crash (2 rounds): kill -9 during writes loses nothing, corrupts nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench" / "crash" / "run.py"


def test_two_crash_rounds_lose_no_acknowledged_write() -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--rounds", "2", "--seed", "7", "--max-kill-delay", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    figures = dict(line.split(": ", 1) for line in completed.stdout.splitlines() if ": " in line)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert figures["rounds"] == "2"
    assert figures["lost writes"] == "0"
    assert figures["corrupt stores"] == "0"
