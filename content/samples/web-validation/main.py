import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.error import HTTPError
from urllib.request import Request, urlopen

# step: Declare what a valid body looks like
# region validate
schema = {
    "name": {"type": str, "required": True, "max_length": 40},
    "email": {"type": str, "required": True,
              "pattern": re.compile(r"[^@\s]+@[^@\s]+")},
    "age": {"type": int, "required": False, "minimum": 0},
}
TYPE_NAMES = {str: "a string", int: "an integer"}


def has_type(value, kind):
    # bool is a subclass of int in Python: reject it explicitly
    return isinstance(value, kind) and not isinstance(value, bool)


def validate(body):
    if not isinstance(body, dict):
        return ["body: must be a JSON object"]
    errors = []
    for field, rule in schema.items():
        value = body.get(field)
        if field not in body:
            if rule["required"]:
                errors.append(f"{field}: required")
        elif not has_type(value, rule["type"]):
            errors.append(f"{field}: must be {TYPE_NAMES[rule['type']]}")
        elif "max_length" in rule and len(value) > rule["max_length"]:
            errors.append(f"{field}: at most {rule['max_length']} characters")
        elif "pattern" in rule and not rule["pattern"].fullmatch(value):
            errors.append(f"{field}: not a valid address")
        elif "minimum" in rule and value < rule["minimum"]:
            errors.append(f"{field}: must be >= {rule['minimum']}")
    for field in sorted(body):
        if field not in schema:
            errors.append(f"{field}: unknown field")
    return errors
# endregion


# step: Reject bad bodies before the handler runs
class UsersHandler(BaseHTTPRequestHandler):
    next_id = 1

    def do_POST(self):
        text = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            body = json.loads(text)
        except ValueError:
            status, data = 400, {"errors": ["body: not valid JSON"]}
        else:
            errors = validate(body)
            if errors:
                status, data = 400, {"errors": errors}
            else:
                status, data = 201, {"id": UsersHandler.next_id, **body}
                UsersHandler.next_id += 1
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # keep the access log off stderr
        pass


server = HTTPServer(("127.0.0.1", 0), UsersHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()

# step: Send three requests
bodies = [
    '{"name": "Ada", "email": "ada@example.org", "age": 36}',
    '{"email": "grace(at)example.org", "age": -1, "admin": true}',
    '{"name": "Alan",',
]
for body in bodies:
    req = Request(
        f"http://127.0.0.1:{server.server_address[1]}/users",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urlopen(req, timeout=5) as res:
            status, data = res.status, json.load(res)
    except HTTPError as err:  # urllib raises for 4xx and 5xx answers
        status, data = err.code, json.load(err)
    if "errors" in data:
        print(status, "; ".join(data["errors"]))
    else:
        print(status, f"created user {data['id']}: {data['name']}")
server.shutdown()
server.server_close()
