import asyncio


# step: Several operations fail at once
async def download(mirror, error):
    await asyncio.sleep(0)
    raise error


async def main():
    # step: Run both; both fail
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(download("mirror-a", TimeoutError("mirror-a: timed out")))
            tg.create_task(download("mirror-b", ConnectionRefusedError("mirror-b: connection refused")))
    except* TimeoutError as group:
        # the TaskGroup raised an ExceptionGroup; except* takes its matching part
        print("timeouts:", [str(e) for e in group.exceptions])
    except* ConnectionError as group:
        print("connection errors:", [str(e) for e in group.exceptions])


asyncio.run(main())


# step: Report every problem, not just the first
def validate(user):
    problems = []
    if not user["name"]:
        problems.append(TypeError("name is required"))
    if not user["age"] >= 0:
        err = ValueError(f"age {user['age']} is negative")
        err.add_note("ages are counted in whole years")  # PEP 678, 3.11+
        problems.append(err)
    if problems:
        raise ExceptionGroup("invalid user", problems)


# step: Handle each kind of error
try:
    validate({"name": "", "age": -3})
except* TypeError as group:
    print(f"{group.message}, missing field:", group.exceptions[0])
except* ValueError as group:
    err = group.exceptions[0]
    print(f"{group.message}, out of range:", err, f"({err.__notes__[0]})")
