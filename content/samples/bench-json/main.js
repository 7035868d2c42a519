// Serialize a document of 40,000 records to JSON and parse it back,
// timing each round trip with the monotonic clock.
const records = [];
for (let i = 0; i < 40000; i++) {
  records.push({
    id: i,
    name: `user-${i}`,
    active: i % 3 === 0,
    tags: ["alpha", "beta", "gamma"].slice(0, (i % 3) + 1),
    scores: [i % 97, i % 89, i % 83],
  });
}
const doc = { version: 1, records };

let text = "";
for (let round = 0; round < 10; round++) {
  const start = process.hrtime.bigint();
  text = JSON.stringify(doc);
  const back = JSON.parse(text);
  const elapsed = process.hrtime.bigint() - start;
  if (back.records.length !== records.length) throw new Error("lost records");
  console.log(`bench: ${elapsed} ns`);
}
console.log(`records: ${records.length}, bytes: ${Buffer.byteLength(text)}`);
