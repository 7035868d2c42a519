import asyncio
import time


# step: Simulate slow I/O
async def fetch_user(name, ms):
    await asyncio.sleep(ms / 1000)  # stands in for a network or disk call
    print(f"finished {name}")
    return f"{name} ({ms} ms)"


async def main():
    # step: Run the calls concurrently
    # region concurrent
    delays = {"ada": 450, "grace": 100, "linus": 200, "guido": 300}
    start = time.perf_counter()
    results = await asyncio.gather(
        *(fetch_user(name, ms) for name, ms in delays.items())
    )
    seconds = time.perf_counter() - start
    # endregion

    # step: Report
    # results come back in the order the calls were made, not the order they finished
    print(f"results: {', '.join(results)}")
    total = sum(delays.values()) / 1000
    print(f"sum of delays: {total} s")
    print(f"finished in less than the sum: {'yes' if seconds < total else 'no'}")


asyncio.run(main())
