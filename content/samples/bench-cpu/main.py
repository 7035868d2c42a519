# A CPU-bound loop in the language itself: the total number of Collatz
# steps for every start value below 20,000, timed per round.
import time


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


total = 0
for _ in range(10):
    start = time.perf_counter_ns()
    total = sum(collatz_steps(i) for i in range(1, 20000))
    print(f"bench: {time.perf_counter_ns() - start} ns")
print(f"total steps: {total}")
