import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

// step: Define the CPU-bound work
function countPrimes(start, end) {
  let count = 0;
  for (let n = Math.max(start, 2); n < end; n++) {
    let isPrime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        isPrime = false;
        break;
      }
    }
    if (isPrime) count++;
  }
  return count;
}

if (isMainThread) {
  // step: Split the work
  const ranges = [0, 1, 2, 3].map((i) => [i * 50_000, (i + 1) * 50_000]);

  // step: Run it in parallel
  // region parallel
  // each worker runs this same file in its own thread, with its own event loop
  const counts = await Promise.all(
    ranges.map(([start, end]) => new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { start, end } });
      worker.once('message', resolve);
      worker.once('error', reject);
    })),
  );
  // endregion

  // step: Collect the results
  ranges.forEach(([start, end], i) => console.log(`primes in [${start}, ${end}): ${counts[i]}`));
  console.log(`total: ${counts.reduce((a, b) => a + b, 0)}`);
} else {
  parentPort.postMessage(countPrimes(workerData.start, workerData.end));
}
