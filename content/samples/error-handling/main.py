import asyncio
import json


# step: Define a custom error
class ConfigError(Exception):
    pass


# step: Wrap a low-level error
def load_config(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError("invalid config") from err


# step: Catch it and clean up
for text in ['{"port": 8080}', "{oops"]:
    try:
        config = load_config(text)
    except ConfigError as err:
        print(f"{type(err).__name__}: {err} (caused by {type(err.__cause__).__name__})")
    else:  # runs only if nothing was raised
        print("loaded port", config["port"])
    finally:
        print("done with", text)


# step: Errors in async code
async def fetch_config():
    raise ConfigError("server unreachable")


async def main():
    try:
        await fetch_config()
    except ConfigError as err:
        print(f"awaited: {type(err).__name__}: {err}")
    # collect outcomes instead of raising at the first failure
    [outcome] = await asyncio.gather(fetch_config(), return_exceptions=True)
    print("collected:", type(outcome).__name__, "-", outcome)


asyncio.run(main())
