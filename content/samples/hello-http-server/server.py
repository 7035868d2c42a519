import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# step: Read the port
port = int(os.environ.get("PORT", "3000"))


# step: Handle requests
# region handler
class HelloHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        found = self.path == "/"
        body = b"Hello World\n" if found else b"Not Found\n"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
# endregion


# step: Start the server
with ThreadingHTTPServer(("127.0.0.1", port), HelloHandler) as server:
    print(f"Listening on http://127.0.0.1:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
