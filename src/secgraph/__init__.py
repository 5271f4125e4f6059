"""secgraph: US - Central America security cooperation as RDF over SPARQL; only the version here."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("secgraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
