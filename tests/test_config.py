"""config.py: one declaration of every setting; defaults <- environment <- flags."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click
import pytest

from secgraph.build.report import render_settings
from secgraph.cli import cli
from secgraph.config import Settings, env_name, find_root, option_docs, settings_from_env

README = Path(__file__).parents[1] / "README.md"


def test_defaults_bind_to_loopback(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8000, 2)
    assert settings.store_path is None
    assert settings.data_file is None
    assert settings.union_default_graph is True


def test_directories_are_relative_to_root(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, data_dir=Path("facts"))
    assert settings.ontology_dir == tmp_path.resolve() / "ontology"
    assert settings.data_dir == tmp_path.resolve() / "facts"


def test_environment_overrides_defaults_and_flags_override_environment(tmp_path: Path) -> None:
    environ = {"SECGRAPH_ROOT": str(tmp_path), "SECGRAPH_PORT": "9000", "SECGRAPH_WORKERS": "3"}
    settings = settings_from_env({"port": 9100, "workers": None}, environ=environ)
    assert (settings.root, settings.port, settings.workers) == (tmp_path.resolve(), 9100, 3)


def test_union_default_graph_is_off_for_a_data_file_unless_asked(tmp_path: Path) -> None:
    data = {"root": tmp_path, "data_file": Path("d.trig")}
    assert settings_from_env(data, environ={}).union_default_graph is False
    environ = {"SECGRAPH_UNION_DEFAULT_GRAPH": "yes"}
    assert settings_from_env(data, environ=environ).union_default_graph is True


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match=r"^SECGRAPH_PORT: "):
        settings_from_env(environ={"SECGRAPH_PORT": "eighty"})
    with pytest.raises(ValueError, match="port must be within"):
        settings_from_env({"port": 70000}, environ={})


def test_unknown_override_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"^unknown settings: colour$"):
        settings_from_env({"colour": "blue"}, environ={})


def test_root_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    nested = tmp_path / "data" / "deep"
    nested.mkdir(parents=True)
    assert find_root(nested) == tmp_path.resolve()


def test_every_setting_has_help_and_an_environment_variable() -> None:
    docs = list(option_docs())
    assert [doc.name for doc in docs] == [item.name for item in fields(Settings)]
    assert all(doc.help.endswith(".") and "\n" not in doc.help for doc in docs)
    assert [doc.env for doc in docs] == [env_name(item.name) for item in fields(Settings)]


def test_readme_documents_every_setting() -> None:
    assert render_settings(list(option_docs())) in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("setting", "value"),
    [("store_url", "ftp://data.example.org/sparql"), ("federation_allowlist", "query.example.org")],
)
def test_a_bad_endpoint_url_is_refused_naming_its_setting(
    tmp_path: Path, setting: str, value: str
) -> None:
    with pytest.raises(ValueError, match=f"(^|: ){setting} must be an absolute http"):
        settings_from_env({"root": tmp_path}, environ={env_name(setting): value})


def test_federation_allowlist_given_as_one_string_is_split_into_urls() -> None:
    settings = Settings(federation_allowlist="https://a.example/sparql, https://b.example/sparql")  # type: ignore[arg-type]
    assert settings.federation_allowlist == ("https://a.example/sparql", "https://b.example/sparql")


def _setting_flags(command: click.Command) -> dict[str, set[str]]:
    """The flags of every command-line option that sets a setting, by setting name."""
    names = {item.name for item in fields(Settings)}
    found: dict[str, set[str]] = {}
    for param in command.params:
        if isinstance(param, click.Option) and param.name in names:
            found.setdefault(param.name, set()).update(param.opts)
    for sub in command.commands.values() if isinstance(command, click.Group) else ():
        for name, flags in _setting_flags(sub).items():
            found.setdefault(name, set()).update(flags)
    return found


def test_documented_flags_are_the_flags_the_command_line_declares() -> None:
    declared = _setting_flags(cli)
    documented = {doc.name: doc.flag for doc in option_docs() if doc.flag is not None}
    assert set(documented) == set(declared), "a flag in the table no command offers, or back"
    assert all(flag in declared[name] for name, flag in documented.items())
    assert "write_token" not in declared  # a secret on the command line shows in `ps`
    assert "| — | `SECGRAPH_WRITE_TOKEN` |" in render_settings(list(option_docs()))
