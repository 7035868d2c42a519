import { parseArgs } from 'node:util';

// step: Describe the options
const options = {
  port: { type: 'string', short: 'p', default: '8080' }, // only strings and booleans
  verbose: { type: 'boolean', short: 'v', default: false },
  tag: { type: 'string', multiple: true, default: [] },
};

// step: Parse an example command line
const example = ['--port', '3000', '-v', '--tag', 'web', '--tag', 'api', 'a.txt', 'b.txt'];
const { values, positionals } = parseArgs({ args: example, options, allowPositionals: true });

// step: Use the values
const port = Number(values.port); // convert by hand
console.log(`port: ${port}, next port: ${port + 1}`);
if (values.verbose) console.log('verbose mode on');
console.log(`tags: ${values.tag.join(', ')}`);
console.log(`files: ${positionals.join(', ')}`);

// step: Parse the real command line
// without `args`, parseArgs reads process.argv after the script name
const real = parseArgs({ options, allowPositionals: true });
console.log(`real command line: port ${real.values.port}, ${real.positionals.length} file(s)`);
