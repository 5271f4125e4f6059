"""A TCP listener on 127.0.0.1 standing for an address a client names: the outbound and attack
tests read its accept queue, without waiting, to see whether the server connected."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        server.setblocking(False)
        yield server
