# Read a large file line by line. The file (200,000 lines, about 12 MB)
# is written first, untimed, into the run's own folder.
import time
from pathlib import Path

path = Path("lines.txt")
path.write_text("".join(f"{i},user-{i % 1000},{(i * 7919) % 100000},some free text for line {i}\n" for i in range(200000)))

lines = chars = 0
for _ in range(8):
    start = time.perf_counter_ns()
    lines = chars = 0
    with path.open() as f:
        for line in f:
            lines += 1
            chars += len(line) - 1  # without the newline, as readline gives it
    print(f"bench: {time.perf_counter_ns() - start} ns")
print(f"lines: {lines}, characters: {chars}")
