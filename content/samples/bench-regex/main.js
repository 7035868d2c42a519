// Regular expressions over a large text: 100,000 access-log lines, made
// here so the sample needs no data file; count the server errors per path.
const methods = ["GET", "POST", "PUT"];
const lines = [];
for (let i = 0; i < 100000; i++) {
  const status = [200, 200, 200, 404, 500, 503][i % 6];
  lines.push(`2026-11-02T10:${String(i % 60).padStart(2, "0")}:00Z ${methods[i % 3]} /api/items/${i % 250} ${status} ${i % 90}ms`);
}
const text = lines.join("\n");
const pattern = /^\S+ (GET|POST|PUT) (\/api\/items\/\d+) (5\d\d) (\d+)ms$/gm;

let counts = new Map();
for (let round = 0; round < 10; round++) {
  const start = process.hrtime.bigint();
  counts = new Map();
  for (const m of text.matchAll(pattern)) counts.set(m[2], (counts.get(m[2]) ?? 0) + 1);
  console.log(`bench: ${process.hrtime.bigint() - start} ns`);
}
const errors = [...counts.values()].reduce((a, b) => a + b, 0);
console.log(`server errors: ${errors} on ${counts.size} paths`);
