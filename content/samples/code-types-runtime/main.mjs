import { execFileSync } from 'node:child_process';

// step: Annotate a function
/**
 * JSDoc types: TypeScript's checker reads them (with // @ts-check), Node.js ignores them.
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
function add(a, b) {
  return a + b;
}

// step: Call it with the wrong types
console.log(add(2, 3));
console.log(add('2', '3')); // nothing checks the types: strings concatenate
console.log(add('2', 3)); // and JavaScript converts instead of failing

// step: Ask the runtime what a value is
for (const value of [1, '1', null, [1], { x: 1 }]) {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  console.log(JSON.stringify(value), '->', kind);
}

// step: Check the shape, not the class
const isDuck = (o) => typeof o?.quack === 'function';
const duck = { quack: () => 'Quack!' };
const robot = { quack: 'not a function' };
console.log('duck:', isDuck(duck), 'robot:', isDuck(robot));

// step: Type-checked code still meets untyped data
// greet.ts declares `age: number`; the JSON says "36". Node.js strips the types and runs it.
console.log(execFileSync(process.execPath, ['greet.ts'], { encoding: 'utf8' }).trim());
