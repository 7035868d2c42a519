import { setTimeout as sleep } from 'node:timers/promises';

// step: Simulate slow I/O
async function fetchUser(name, ms) {
  await sleep(ms); // stands in for a network or disk call
  console.log(`finished ${name}`);
  return `${name} (${ms} ms)`;
}

// step: Run the calls concurrently
// region concurrent
const delays = { ada: 450, grace: 100, linus: 200, guido: 300 };
const start = performance.now();
const results = await Promise.all(
  Object.entries(delays).map(([name, ms]) => fetchUser(name, ms)),
);
const seconds = (performance.now() - start) / 1000;
// endregion

// step: Report
// results come back in the order the calls were made, not the order they finished
console.log(`results: ${results.join(', ')}`);
const total = Object.values(delays).reduce((a, b) => a + b, 0) / 1000;
console.log(`sum of delays: ${total} s`);
console.log(`finished in less than the sum: ${seconds < total ? 'yes' : 'no'}`);
