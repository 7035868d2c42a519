import { readFile, rm, stat, writeFile } from 'node:fs/promises';

// step: Write a file
const path = 'notes.txt';
await writeFile(path, 'the quick brown fox\njumps over\nthe lazy dog in a café\n', 'utf8');

// step: Read it back
const text = await readFile(path, 'utf8');
const { size } = await stat(path);

// step: Count lines and words
// split() leaves an empty string after the final newline, so drop it
const lines = text.split('\n');
if (lines.at(-1) === '') lines.pop();
const words = text.split(/\s+/).filter(Boolean);

// step: Print a summary
console.log(`${path}: ${size} bytes, ${text.length} characters`);
console.log(`lines: ${lines.length}`);
console.log(`words: ${words.length}`);
console.log(`longest line: ${lines.reduce((a, b) => (b.length > a.length ? b : a))}`);

// step: Clean up
await rm(path);
