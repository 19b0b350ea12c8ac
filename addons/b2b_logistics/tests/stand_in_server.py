"""A local stand-in for the providers' HTTP APIs: http.server on 127.0.0.1, random port, in a
thread. Each path answers from a queue of scripted responses (the last one repeats); every
request is recorded (method, path, query, headers, body) for assertions."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class StandInServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                with stand_in.lock:
                    stand_in.requests.append(
                        {
                            "method": self.command,
                            "path": split.path,
                            "query": split.query,
                            "headers": dict(self.headers),
                            "body": body,
                        }
                    )
                    queue = stand_in.routes.get((self.command, split.path)) or [(404, {}, {"error": "no route"}, 0)]
                    status, headers, payload, delay = queue.pop(0) if len(queue) > 1 else queue[0]
                if delay:
                    time.sleep(delay)
                data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    for key, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def route(self, method, path, *responses):
        """Script the answers of ``method path``: each response is (status, payload) or
        (status, headers, payload) or (status, headers, payload, delay seconds)."""
        normalized = []
        for response in responses:
            if len(response) == 2:
                normalized.append((response[0], {}, response[1], 0))
            elif len(response) == 3:
                normalized.append((*response, 0))
            else:
                normalized.append(response)
        with self.lock:
            self.routes[(method, path)] = normalized

    def reset(self):
        with self.lock:
            self.routes.clear()
            self.requests.clear()

    def calls(self, path=None):
        return [request for request in self.requests if path is None or request["path"] == path]
