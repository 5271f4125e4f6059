"""Build hook: the wheel carries the project's graph (ontology, data, shapes, named queries and
source texts) under ``secgraph/project/``, so that an installed secgraph serves it from any
directory. An editable install needs none: its project is the checkout itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROJECT_FOLDERS = ("ontology", "data", "shapes", "queries", "sources")
"""What a project is (secgraph.config.Settings reads these folders); every file in them goes."""


class BuildWithProject(build_py):  # type: ignore[misc]  # setuptools ships no type hints
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "secgraph" / "project"
        shutil.rmtree(target, ignore_errors=True)  # no file left over from an earlier build
        for folder in PROJECT_FOLDERS:
            if Path(folder).is_dir():
                shutil.copytree(folder, target / folder, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithProject})
