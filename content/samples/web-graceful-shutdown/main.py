import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

shutting_down = threading.Event()


# step: Serve a request that is still running at SIGTERM
class ReportHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        print(f"request {self.path}: started", flush=True)
        os.kill(os.getpid(), signal.SIGTERM)  # stands in for `docker stop`
        shutting_down.wait()  # the work outlasts the signal
        print(f"request {self.path}: finished", flush=True)
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"done\n")

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    # ThreadingHTTPServer sets daemon_threads = True, and daemon threads
    # are killed at exit: in-flight requests would be cut off.
    daemon_threads = False


# step: Handle SIGTERM
# region shutdown
def on_sigterm(signum, frame):
    print("SIGTERM: closing the listener, draining requests", flush=True)
    shutting_down.set()
    # The handler runs in the main thread, inside serve_forever(), which
    # shutdown() waits for: ask from another thread.
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGTERM, on_sigterm)
# endregion

# step: Run a client against it
server = Server(("127.0.0.1", 0), ReportHandler)
url = f"http://127.0.0.1:{server.server_address[1]}/report"


def client():
    with urlopen(url, timeout=5) as res:
        body = res.read().decode().strip()
        print("client got:", res.status, body, flush=True)


client_thread = threading.Thread(target=client)
client_thread.start()

# step: Exit once the server has drained
server.serve_forever()  # returns once shutdown() was asked for
server.server_close()  # closes the listener, then joins request threads
client_thread.join()
print("server closed; exiting with status 0")
