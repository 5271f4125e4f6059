"""Where the tests and the repository are, for test modules at any depth under tests/."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).parent
REPOSITORY = TESTS.parent
