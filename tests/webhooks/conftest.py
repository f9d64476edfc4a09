"""A real HTTP server on loopback that receives webhooks as a subscriber's would."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from paks.webhooks.models import Endpoint

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Receiver:
    """Records every request; answers 500 to the first `fail_first` ones, then 200 (or a
    redirect to `redirect_to` when set)."""

    def __init__(self):
        self.requests = []
        self.fail_first = 0
        self.redirect_to = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))  # names case-insensitive
                failing = len(receiver.requests) <= receiver.fail_first
                if receiver.redirect_to:
                    self.send_response(307)
                    self.send_header("Location", receiver.redirect_to)
                else:
                    self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        return [json.loads(body)["event"] for _, body in self.requests]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def endpoint_for(owner, receiver, events=("case.published",), **kwargs):
    return Endpoint.objects.create(owner=owner, url=receiver.url, events=list(events), **kwargs)
