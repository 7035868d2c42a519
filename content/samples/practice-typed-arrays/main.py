import math
from array import array

# step: A packed array of doubles
values = array("d", [10.5, 9.25, 1.5, -2.5, 0.75])
print(f"items: {len(values)}, bytes per item: {values.itemsize}, total bytes: {len(values) * values.itemsize}")

# step: Sort numerically, in place
# array has no sort() method: sorted() returns a list, copied back into the same buffer.
values[:] = array("d", sorted(values))
print("sorted:", " ".join(repr(v) for v in values))

# step: Look at the raw bytes of one value
raw = memoryview(values).cast("B")[:8]
print(f"bytes of {values[0]!r}: {raw.hex(' ')}")

# step: Add 0.1 ten times
tenths = array("d", [0.1] * 10)
plain = 0.0
for x in tenths:
    plain += x
# math.fsum tracks partial sums exactly and rounds once at the end.
print(f"added one by one: {plain:.16f}")
print(f"corrected sum:    {math.fsum(tenths):.16f}")
