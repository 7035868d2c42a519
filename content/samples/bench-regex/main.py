# Regular expressions over a large text: 100,000 access-log lines, made
# here so the sample needs no data file; count the server errors per path.
import re
import time
from collections import Counter

methods = ["GET", "POST", "PUT"]
lines = []
for i in range(100000):
    status = [200, 200, 200, 404, 500, 503][i % 6]
    lines.append(f"2026-11-02T10:{i % 60:02d}:00Z {methods[i % 3]} /api/items/{i % 250} {status} {i % 90}ms")
text = "\n".join(lines)
pattern = re.compile(r"^\S+ (GET|POST|PUT) (/api/items/\d+) (5\d\d) (\d+)ms$", re.MULTILINE)

counts = Counter()
for _ in range(10):
    start = time.perf_counter_ns()
    counts = Counter(m[2] for m in pattern.finditer(text))
    print(f"bench: {time.perf_counter_ns() - start} ns")
print(f"server errors: {sum(counts.values())} on {len(counts)} paths")
