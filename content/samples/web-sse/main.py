import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

# step: Serve an event stream
STREAM = "\n".join([
    ": comments keep idle connections open",
    "retry: 2000",
    "",
    "id: 1",
    "event: price",
    'data: {"symbol":"ACME","price":101.5}',
    "",
    "id: 2",
    "data: first line",
    "data: second line",
    "",
    "id: 3",
    "event: done",
    "data: bye",
    "",
    "",
]).encode()


class EventsHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for i in range(0, len(STREAM), 7):
            # a real server writes whenever it has news
            self.wfile.write(STREAM[i:i + 7])
            time.sleep(0.001)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), EventsHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()


# step: Parse events as the bytes arrive
# region parse
class Parser:
    def __init__(self, on_event):
        self.on_event = on_event
        self.last_id, self.retry = "", None
        self.reset()

    def reset(self):
        self.type, self.data, self.id = "message", [], None

    def line(self, line):
        if line == "":  # a blank line dispatches the event
            if self.data:
                self.on_event(self.type, self.id, "\n".join(self.data))
            self.reset()
            return
        if line.startswith(":"):  # a comment
            return
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            self.type = value
        elif name == "data":
            self.data.append(value)
        elif name == "id":
            self.id = self.last_id = value
        elif name == "retry" and re.fullmatch(r"\d+", value):
            self.retry = int(value)
# endregion


def show(kind, event_id, data):
    print(f"event={kind} id={event_id} data={json.dumps(data)}")


# step: Read the stream with the built-in client
parser = Parser(show)
url = f"http://127.0.0.1:{server.server_address[1]}/events"
with urlopen(url, timeout=5) as res:
    print("content-type:", res.headers["Content-Type"])
    for raw in res:  # the response is a file: iterating it yields lines
        parser.line(raw.decode().rstrip("\r\n"))
print(f"stream ended: reconnect after {parser.retry} ms",
      f"with Last-Event-ID: {parser.last_id}")
server.shutdown()
