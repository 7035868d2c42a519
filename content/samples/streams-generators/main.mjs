import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

// step: Create some input
const log = ['INFO start', 'WARN disk 80%', 'ERROR db timeout', 'INFO retry',
  'ERROR db refused', 'ERROR cache miss', 'INFO stop'];
await writeFile('app.log', log.join('\n') + '\n');

// step: Define the stages
async function* parse(lines) {
  for await (const line of lines) {
    console.log(`  read: ${line}`);
    const [level, ...words] = line.split(' ');
    yield { level, message: words.join(' ') };
  }
}

async function* errorsOnly(records) {
  for await (const { level, message } of records) if (level === 'ERROR') yield message;
}

async function* take(items, n) {
  for await (const item of items) {
    yield item;
    if (--n === 0) return; // returning also closes the upstream generators
  }
}

// step: Run the pipeline
// region pipeline
const lines = createInterface({ input: createReadStream('app.log'), crlfDelay: Infinity });
for await (const message of take(errorsOnly(parse(lines)), 2)) {
  console.log(`error: ${message}`);
}
// endregion
console.log('stopped after 2 errors; the rest of the file was never parsed');
