"""A local web server on 127.0.0.1 that serves made-up pages, for the release fetch.

`with WebServer({"/release": page(...)}) as server: server.url("/release")`.
A route is a Page: a status, headers and a body; `drip` seconds between
bytes makes it a server that answers one byte at a time. Every request's
path and Host header are recorded in `server.requests`. With `tls` (a
server-side ssl.SSLContext) it speaks HTTPS and records the names clients
asked for by SNI in `server.sni`.
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    drip: float = 0.0


def page(body, content_type="text/html; charset=utf-8", **kwargs):
    data = body.encode() if isinstance(body, str) else body
    return Page(body=data, headers={"Content-Type": content_type}, **kwargs)


def redirect(location, status=302):
    return Page(status=status, headers={"Location": location})


class WebServer:
    def __init__(self, routes, tls=None):
        self.routes = routes
        self.requests = []
        self.sni = []
        self.scheme = "https" if tls else "http"
        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.web = self
        self.stopping = threading.Event()
        if tls:
            tls.sni_callback = lambda _sock, name, _context: self.sni.append(name)
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)

    @property
    def port(self):
        return self.httpd.server_address[1]

    def url(self, path="/", host="127.0.0.1"):
        return f"{self.scheme}://{host}:{self.port}{path}"

    def __enter__(self):
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gives up (a refused certificate, a deadline) is expected here


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        web = self.server.web
        web.requests.append({"path": self.path, "host": self.headers.get("Host")})
        route = web.routes.get(self.path, Page(b"Not here", 404))
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if not route.drip:
            self.wfile.write(route.body)
            return
        for byte in route.body:
            if web.stopping.wait(route.drip):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
