"""A webhook receiver on 127.0.0.1 that checks every request's signature the
way the README tells receivers to, and misbehaves on cue.

`answers` is a list of what to do with each request in turn: an HTTP status
to answer with, or ("slow", seconds) to wait before a 200. When the list runs
out it answers 200. A request whose signature does not check out gets a 401
whatever the list says. Everything received is kept in `received`.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from webhooks import signing


class WebhookReceiver:
    def __init__(self, secret, answers=()):
        self.secret = secret
        self.answers = list(answers)
        self.received = []  # (headers, parsed body, signature valid)
        self.lock = threading.Lock()

    def __enter__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                valid = signing.verify(
                    receiver.secret,
                    body,
                    self.headers.get(signing.TIMESTAMP),
                    self.headers.get(signing.SIGNATURE),
                )
                with receiver.lock:
                    receiver.received.append((dict(self.headers), json.loads(body), valid))
                    answer = receiver.answers.pop(0) if receiver.answers else 200
                if isinstance(answer, tuple):
                    time.sleep(answer[1])
                    answer = 200
                status = answer if valid else 401
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"no")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/constituent"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
