// A CPU-bound loop in the language itself: the total number of Collatz
// steps for every start value below 20,000, timed per round.
function collatzSteps(n) {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

let total = 0;
for (let round = 0; round < 10; round++) {
  const start = process.hrtime.bigint();
  total = 0;
  for (let i = 1; i < 20000; i++) total += collatzSteps(i);
  console.log(`bench: ${process.hrtime.bigint() - start} ns`);
}
console.log(`total steps: ${total}`);
