"""The gunicorn worker secgraph serves with: gthread, except that a new connection waits for its
first request in the worker's poller rather than in a request thread; no routes, no app.

gunicorn's gthread worker hands each new connection to a thread, which waits up to 5 s for the
first bytes before putting it aside: a few hundred connections that never send a request (a
slow or hostile client) keep every thread waiting, and a new client is answered minutes later.
Keep-alive connections between requests already wait in the poller; so do new ones here, closed
after ``FIRST_REQUEST_SECONDS`` without a byte, as a buffering proxy's header timeout would.
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker

FIRST_REQUEST_SECONDS = 10.0
"""How long a new connection may stay silent before it is closed."""
_RETRY_LATER = (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK)


class PollingThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gthread with new connections parked in the poller until they are readable."""

    def accept(self, listener: socket.socket) -> None:
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in _RETRY_LATER:
                raise
            return
        self.nr_conns += 1
        client.setblocking(False)
        connection = TConn(self.cfg, client, address, listener.getsockname())
        connection.timeout = time.monotonic() + FIRST_REQUEST_SECONDS
        # gthread's own queue of connections waiting for data (closed when their time is up);
        # once readable, a thread reads the request without waiting.
        self.pending_conns.append(connection)
        self.poller.register(
            client, selectors.EVENT_READ, partial(self.on_pending_socket_readable, connection)
        )
