# Serialize a document of 40,000 records to JSON and parse it back,
# timing each round trip with the monotonic clock.
import json
import time

records = [
    {
        "id": i,
        "name": f"user-{i}",
        "active": i % 3 == 0,
        "tags": ["alpha", "beta", "gamma"][: i % 3 + 1],
        "scores": [i % 97, i % 89, i % 83],
    }
    for i in range(40000)
]
doc = {"version": 1, "records": records}

text = ""
for _ in range(10):
    start = time.perf_counter_ns()
    # Compact separators match JSON.stringify's output byte for byte.
    text = json.dumps(doc, separators=(",", ":"))
    back = json.loads(text)
    elapsed = time.perf_counter_ns() - start
    if len(back["records"]) != len(records):
        raise RuntimeError("lost records")
    print(f"bench: {elapsed} ns")
print(f"records: {len(records)}, bytes: {len(text.encode())}")
