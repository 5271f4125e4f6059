"""No outbound surprises: LOAD, FROM, FROM NAMED, the protocol's graph parameters, DESCRIBE and
SERVICE naming an address never make the server connect to it.

Each test opens a listener on 127.0.0.1 and, once the request is answered, checks its accept
queue without waiting: the kernel completes any TCP handshake on its own, so a connection the
server had opened would be there.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server


def _url(listener: socket.socket) -> str:
    host, port = listener.getsockname()
    return f"http://{host}:{port}/data"


def _assert_no_connection(listener: socket.socket) -> None:
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return
    connection.close()
    pytest.fail("the server opened a connection to the address named in the request")


def test_probe_sees_a_connection_when_one_is_made(listener: socket.socket) -> None:
    with (
        socket.create_connection(listener.getsockname()),
        pytest.raises(pytest.fail.Exception, match="opened a connection"),
    ):
        _assert_no_connection(listener)


def test_load_in_a_query_is_refused_without_fetching(
    client: FlaskClient, listener: socket.socket
) -> None:
    response = client.get("/sparql", query_string={"query": f"LOAD <{_url(listener)}>"})
    assert response.status_code == 400
    _assert_no_connection(listener)


def test_load_as_an_update_is_refused_without_fetching(
    client: FlaskClient, listener: socket.socket
) -> None:
    response = client.post("/sparql", data={"update": f"LOAD <{_url(listener)}>"})
    assert response.status_code >= 400
    _assert_no_connection(listener)


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <{url}> FROM NAMED <{url}>"
        " WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
    ],
)
def test_from_a_remote_address_selects_an_empty_graph(
    client: FlaskClient, listener: socket.socket, template: str
) -> None:
    query = template.format(url=_url(listener))
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []
    _assert_no_connection(listener)


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_graph_parameters_naming_a_remote_address_select_nothing(
    client: FlaskClient, listener: socket.socket, parameter: str
) -> None:
    query = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    response = client.get("/sparql", query_string={"query": query, parameter: _url(listener)})
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []
    _assert_no_connection(listener)


def test_describe_of_a_remote_address_is_answered_from_the_store(
    client: FlaskClient, listener: socket.socket
) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{_url(listener)}>"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    assert response.get_data() == b""
    _assert_no_connection(listener)


@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_service_to_a_target_not_allowed_is_refused_without_fetching(
    client: FlaskClient, listener: socket.socket, silent: str
) -> None:
    query = f"SELECT * WHERE {{ SERVICE {silent}<{_url(listener)}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code >= 400
    _assert_no_connection(listener)
