"""A Virtuoso Open Source server tests start on 127.0.0.1 and stop: its own database in a folder,
SPARQL Update granted to its anonymous SPARQL user. Skips, saying why, when it is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from servers import DEADLINE_SECONDS, free_port, running

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@dataclass(frozen=True)
class VirtuosoServer:
    """Where a running Virtuoso takes queries, updates and Graph Store Protocol requests."""

    base: str

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def update(self) -> str:
        return self.base + "/sparql"  # one endpoint for queries and updates

    @property
    def graph_store(self) -> str:
        return self.base + "/sparql-graph-crud"


def virtuoso_commands() -> tuple[str, str]:
    """`virtuoso-t` and its `isql`, as Debian's virtuoso-opensource installs them; else skip."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if server is None or isql is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    return server, isql


@contextmanager
def virtuoso_server(location: Path) -> Iterator[VirtuosoServer]:
    """Run `virtuoso-t` in the foreground with its database in ``location``; yield its URLs."""
    server, isql = virtuoso_commands()
    http_port, sql_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(_INI.format(dir=location, sql_port=sql_port, http_port=http_port))
    with running([server, "-f", "-c", str(ini)], "Server online at"):
        # The SPARQL endpoint's user may update only when granted (Virtuoso's RDF security).
        grant = 'exec=grant SPARQL_UPDATE to "SPARQL";'
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", grant],
            check=True,
            capture_output=True,
            timeout=DEADLINE_SECONDS,
        )
        yield VirtuosoServer(f"http://127.0.0.1:{http_port}")
