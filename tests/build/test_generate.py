"""bench/generate.py: seeded synthetic data that builds, conforms and reasons the same both ways."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from test_reason_fast import assert_same_inferences

from paths import REPOSITORY
from secgraph.build.load import load_sources
from secgraph.build.pipeline import build
from secgraph.config import Settings

ROOT = REPOSITORY


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    assert generator.main(["--scale", "2", "--seed", "7", "--out", str(out)]) == 0
    return out


def test_generated_data_conforms_to_the_shapes_and_passes_the_checks(generated: Path) -> None:
    built = build(Settings(root=ROOT, data_dir=generated))  # raises BuildError otherwise
    assert built.report is not None
    assert built.report.conforms
    assert built.checks is not None
    assert built.checks.passed
    replica_graphs = [name for name in built.stats.graph_sizes if name.endswith(("-r1", "-r2"))]
    # Each source graph is copied per replica; the curated links graph is shared (generate.py).
    sources = [path for path in (ROOT / "data").glob("*.trig") if path.name != "links.trig"]
    assert len(replica_graphs) == 2 * len(sources)


def test_generated_data_reasons_the_same_with_the_fast_rules(generated: Path) -> None:
    assert_same_inferences(load_sources(Settings(root=ROOT, data_dir=generated)))


def test_same_seed_gives_the_same_bytes(generator: ModuleType, tmp_path: Path) -> None:
    outputs = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generator.main(["--scale", "2", "--seed", str(seed), "--out", str(tmp_path / name)])
        outputs.append((tmp_path / name / "data.trig").read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]


def test_scale_multiplies_the_triples(generator: ModuleType) -> None:
    sources = generator.read_sources(ROOT / "data")
    assert len(list(generator.generate(sources, 3, 1))) == 3 * len(sources)
