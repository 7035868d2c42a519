import json
import os
import re
from wsgiref.simple_server import make_server

users = {
    1: {"id": 1, "name": "Ada Lovelace"},
    2: {"id": 2, "name": "Grace Hopper"},
}


def get_user(user_id):
    user = users.get(int(user_id))
    return (200, user) if user else (404, {"error": f"no user {user_id}"})


# step: Declare the routes
# region routes
routes = [
    ("GET", re.compile(r"/users"), lambda: (200, list(users.values()))),
    ("GET", re.compile(r"/users/(\d+)"), get_user),
    ("GET", re.compile(r"/health"), lambda: (200, {"ok": True})),
]
# endregion


# step: Match a request to a route
def dispatch(method, path):
    path_matched = False
    for verb, pattern, handler in routes:
        match = pattern.fullmatch(path)
        if not match:
            continue
        path_matched = True
        if verb == method:
            return handler(*match.groups())
    if path_matched:
        return 405, {"error": "method not allowed"}
    return 404, {"error": "not found"}


REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}


# step: Answer with JSON
def app(environ, start_response):  # a WSGI application (PEP 3333)
    method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
    status, data = dispatch(method, path)
    body = json.dumps(data, separators=(",", ":")).encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
    ]
    start_response(f"{status} {REASONS[status]}", headers)
    return [body]


# step: Listen
port = int(os.environ.get("PORT", "8000"))
with make_server("127.0.0.1", port, app) as server:
    print(f"listening on {port}", flush=True)
    server.serve_forever()
