# A minimal HTTP server with the standard library's http.server: one short
# text answer per request, one thread per connection, keep-alive on.
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b"hello from python\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open, as Node does
    # Headers and body go out in separate writes; without this, Nagle's
    # algorithm holds the body until the client's delayed ACK, about 40 ms
    # per request on Linux.
    disable_nagle_algorithm = True

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass  # no line per request on stderr


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
