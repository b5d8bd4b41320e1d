# SPDX-License-Identifier: GPL-3.0-or-later
"""A small HTTP relay between the workstation and a real lab server, for
the UI tests: it keeps a log of every request and can hold some of them
back for a while, as a slow network would."""
import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


class LabProxy:
    def __init__(self, upstream):
        self.upstream = urlsplit(upstream)
        self.requests = []      # (method, path, body bytes)
        self.delays = {}        # (method, path prefix) -> seconds
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def relay(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                with proxy.lock:
                    proxy.requests.append((self.command, self.path, body))
                    delay = max([s for (m, p), s in proxy.delays.items()
                                 if m == self.command and self.path.startswith(p)], default=0)
                time.sleep(delay)
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port,
                                                  timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                reply = conn.getresponse()
                data = reply.read()
                self.send_response(reply.status)
                for k, v in reply.getheaders():
                    if k.lower() not in HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, method, path, contains=b""):
        with self.lock:
            return sum(1 for m, p, b in self.requests if m == method and p == path and contains in b)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
