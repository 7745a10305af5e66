"""WSGI entry point (``gunicorn tandem.wsgi``)."""

import logging
import os
import socket

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.production")

logger = logging.getLogger("tandem.wsgi")


def skip_abandoned(app):
    """Answer nothing to a request whose client has already hung up.

    A request waits in the listen queue while every worker is busy. If its client gives up
    meanwhile (a browser tab closed, a proxy's read time-out), the request is still there, fully
    received, when a worker takes it: without this check the worker would build the whole page
    for nobody, and after a burst of slow pages the server stays busy with such leftovers long
    after the burst (measured by ``bench/load.py``: 70 s to over 120 s of no answer after 60 s of
    50 users on a page taking ~15 s; none with this check). Gunicorn passes the client socket as
    ``gunicorn.socket``; a peek that reads end-of-file means the client closed it. Under other
    servers, over TLS terminated by gunicorn (peeking is not allowed there), or when the client
    has sent more (a pipelined request, an upload still coming), the request goes on as usual."""

    def application(environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is not None and _client_gone(sock):
            logger.info(
                "Client gone before %s %s: skipped",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
            )
            start_response("499 Client Closed Request", [("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return application


def _client_gone(sock) -> bool:
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError, ValueError):
        return False  # nothing to read (the client is waiting), or an SSL socket
    except OSError:
        return True  # reset by the client


application = skip_abandoned(get_wsgi_application())
