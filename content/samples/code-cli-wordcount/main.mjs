#!/usr/bin/env node
// wordcount: print the most frequent words read from standard input.
import { parseArgs } from 'node:util';

// step: Parse the arguments
// region parse
const usage = 'usage: main.mjs [--top N] [--ignore-case] < text';
let values;
try {
  ({ values } = parseArgs({
    options: {
      top: { type: 'string', default: '5' },
      'ignore-case': { type: 'boolean', short: 'i', default: false },
    },
  }));
} catch (err) {
  // unknown option or missing value: parseArgs throws a TypeError
  console.error(`${usage}\nmain.mjs: error: ${err.message}`);
  process.exit(2);
}
const top = Number(values.top); // only strings and booleans: validate numbers yourself
if (!Number.isInteger(top) || top < 1) {
  console.error(`${usage}\nmain.mjs: error: --top: expected a positive integer, got '${values.top}'`);
  process.exit(2);
}
// endregion parse

// step: Read standard input
let text = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) text += chunk;

// step: Count and print
const counts = new Map();
// letters, and "doesn't"
for (let word of text.match(/\p{L}+(?:'\p{L}+)?/gu) ?? []) {
  if (values['ignore-case']) word = word.toLowerCase();
  counts.set(word, (counts.get(word) ?? 0) + 1);
}
const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
for (const [word, n] of sorted.slice(0, top)) console.log(`${String(n).padStart(3)} ${word}`);
console.error(`${counts.size} distinct words`); // diagnostics go to stderr, not into the pipe
