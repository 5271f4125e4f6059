"""Build progress on stderr: a bar over the pipeline steps and each step's time; no computing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from tqdm import tqdm

StepListener = Callable[[str, float], None]
"""Called as each pipeline step ends, with the step's name and its seconds."""

BUILD_STEPS = ("find", "load", "reason", "validate", "store", "check")


class BuildProgress:
    """A tqdm bar over BUILD_STEPS plus one ``step  seconds`` line per finished step.

    stderr only, so stdout stays clean for piping; the bar only on a terminal; ``quiet`` turns
    both off (for scripts).
    """

    def __init__(self, *, quiet: bool = False, file: TextIO | None = None) -> None:
        self.quiet = quiet
        self.file = file or sys.stderr
        self.bar = tqdm(
            total=len(BUILD_STEPS),
            desc="build",
            unit="step",
            file=self.file,
            disable=True if quiet else None,  # None: no bar unless stderr is a terminal
            leave=False,
            bar_format="{desc}: {bar} {n_fmt}/{total_fmt} steps [{elapsed}] {postfix}",
        )

    def __call__(self, step: str, seconds: float) -> None:
        if self.quiet:
            return
        self.bar.write(f"{step:<9}{seconds:8.3f} s", file=self.file)
        self.bar.set_postfix_str(step)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
