import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.request import urlopen


# step: Start a local server
class EchoHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"method": self.command, "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = HTTPServer(("127.0.0.1", 0), EchoHandler)  # port 0: the OS picks a free port
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()

# region request
# step: Send a request
with urlopen(f"http://127.0.0.1:{port}/greeting?name=ada", timeout=5) as res:
    # step: Read the response
    print("status:", res.status, res.reason)
    print("content-type:", res.headers["Content-Type"])
    data = json.load(res)
    print("body:", data["method"], data["path"])
# endregion

# step: Shut down
server.shutdown()
server.server_close()
