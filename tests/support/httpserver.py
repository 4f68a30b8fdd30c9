"""A real HTTP server on loopback whose answers each test scripts per path.

    site = Site().start()
    url = site.add("article", Reply(ARTICLE_HTML))            # always this answer
    url = site.add("flaky", Reply(status=503), Reply("ok"))   # 503, then "ok" from then on
    url = site.add("raw", trickle_forever)                     # a function writes the bytes

Every request is recorded (site.hits(url)), and so is every accepted connection
(site.connections), so a test can prove that a refused fetch never connected.
"""

import itertools
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering

    def send(self, handler):
        if self.delay:
            time.sleep(self.delay)
        body = self.body.encode() if isinstance(self.body, str) else self.body
        handler.send_response(self.status)
        if self.content_type:
            handler.send_header("Content-Type", self.content_type)
        headers = {"Content-Length": str(len(body)), "Connection": "close", **self.headers}
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


@dataclass
class Hit:
    path: str
    headers: dict
    at: float  # time.monotonic()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def process_request(self, request, client_address):
        self.site.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.close_connection = True
        site = self.server.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.requests.append(Hit(path, dict(self.headers.items()), time.monotonic()))
            replies = site.routes.get(path)
            reply = (replies.pop(0) if len(replies) > 1 else replies[0]) if replies else None
        if reply is None:
            Reply("not here", status=404, content_type="text/plain").send(self)
        elif callable(reply):
            try:
                reply(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client cut us off, as it should
        else:
            reply.send(self)

    def log_message(self, *args):
        pass


class Site:
    _numbers = itertools.count(1)

    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.routes = {}
        self.requests = []
        self.connections = 0
        self.lock = threading.Lock()
        self.server = _Server((host, 0), _Handler)
        self.server.site = self
        self.port = self.server.server_address[1]

    @property
    def authority(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add(self, name, *replies):
        """Serve `replies` in turn at a fresh path (the last one repeats); return its URL."""
        path = f"/t{next(self._numbers)}/{name}"
        self.routes[path] = list(replies)
        return f"http://{self.authority}{path}"

    def set(self, url, *replies):
        """Change what an existing URL answers from now on."""
        with self.lock:
            self.routes[urlsplit(url).path] = list(replies)

    def hits(self, url):
        path = urlsplit(url).path
        return [hit for hit in self.requests if hit.path == path]
