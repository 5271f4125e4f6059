"""A short run of bench/crash (2 rounds of each kill mode): kill -9 during writes loses nothing,
hides nothing from the next worker, leaves no query process behind, corrupts nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[1] / "bench" / "crash" / "run.py"


@pytest.mark.parametrize("kill", ["all", "worker"])
def test_two_crash_rounds_lose_no_acknowledged_write(kill: str) -> None:
    options = ["--rounds", "2", "--seed", "7", "--max-kill-delay", "2", "--kill", kill]
    completed = subprocess.run(
        [sys.executable, str(BENCH), *options],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    figures = dict(line.split(": ", 1) for line in completed.stdout.splitlines() if ": " in line)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert figures["rounds"] == "2"
    assert figures["killed"] == kill
    assert int(figures["acknowledged writes"]) > 0  # the kill came after writes were answered
    assert figures["lost writes"] == "0"
    assert figures["invisible writes"] == "0"
    assert figures["orphans"].startswith("0 ")
    assert figures["corrupt stores"] == "0"
