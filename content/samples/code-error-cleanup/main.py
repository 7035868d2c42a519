from contextlib import contextmanager


# step: A resource that cleans up after itself
@contextmanager
def open_resource(name, fail_on_close=False):
    print(f"open {name}")
    try:
        yield name
    finally:
        print(f"close {name}")
        if fail_on_close:
            raise OSError(f"{name}: close failed")


# step: The body fails; cleanup still runs
try:
    with open_resource("db"):
        raise RuntimeError("query failed")
except RuntimeError as err:
    print("caught:", err)

# step: The body and the cleanup both fail
try:
    with open_resource("db", fail_on_close=True):
        raise RuntimeError("query failed")
except OSError as err:
    # the newer exception propagates; __context__ keeps the one it replaced
    print(f"caught: {type(err).__name__}: {err}; context: {err.__context__}")
