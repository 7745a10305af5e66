"""The WSGI entry point skips requests whose client hung up while they waited for a worker."""

import socket

import pytest

from tandem.wsgi import skip_abandoned


def _call(environ):
    calls, started = [], []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"page"]

    body = skip_abandoned(app)(environ, lambda status, headers: started.append(status))
    return calls, started, b"".join(body)


@pytest.mark.unit
def test_a_request_whose_client_closed_the_connection_is_not_served():
    server, client = socket.socketpair()
    try:
        client.sendall(b"GET / HTTP/1.1\r\n\r\n")
        server.recv(1024)  # the worker has read the request
        client.close()  # then the client gives up
        calls, started, body = _call({"PATH_INFO": "/", "gunicorn.socket": server})
    finally:
        server.close()
    assert calls == []
    assert started == ["499 Client Closed Request"]
    assert body == b""


@pytest.mark.unit
def test_a_waiting_client_is_served():
    server, client = socket.socketpair()
    try:
        calls, started, body = _call({"PATH_INFO": "/", "gunicorn.socket": server})
    finally:
        server.close()
        client.close()
    assert (calls, started, body) == (["/"], ["200 OK"], b"page")


@pytest.mark.unit
def test_a_client_that_sent_more_is_served():
    server, client = socket.socketpair()
    try:
        client.sendall(b"GET /next HTTP/1.1\r\n\r\n")  # pipelined, or a body still coming
        calls, started, body = _call({"PATH_INFO": "/", "gunicorn.socket": server})
    finally:
        server.close()
        client.close()
    assert (calls, started) == (["/"], ["200 OK"])


@pytest.mark.unit
def test_other_servers_are_unaffected():
    assert _call({"PATH_INFO": "/"})[:2] == (["/"], ["200 OK"])
