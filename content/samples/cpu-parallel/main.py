from concurrent.futures import ProcessPoolExecutor
from math import isqrt


# step: Define the CPU-bound work
def count_primes(start, end):
    count = 0
    for n in range(max(start, 2), end):
        for d in range(2, isqrt(n) + 1):
            if n % d == 0:
                break
        else:  # no divisor found
            count += 1
    return count


if __name__ == "__main__":
    # step: Split the work
    ranges = [(i * 50_000, (i + 1) * 50_000) for i in range(4)]

    # step: Run it in parallel
    # region parallel
    # each worker is a separate process with its own interpreter, so the GIL is no limit
    with ProcessPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(count_primes, start, end) for start, end in ranges]
        counts = [future.result() for future in futures]
    # endregion

    # step: Collect the results
    for (start, end), count in zip(ranges, counts):
        print(f"primes in [{start}, {end}): {count}")
    print(f"total: {sum(counts)}")
