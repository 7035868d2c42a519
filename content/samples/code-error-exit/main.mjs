import { spawnSync } from 'node:child_process';

// step: Ways a program can go wrong
const cases = {
  'uncaught exception': "throw new Error('boom')",
  'unhandled rejection': "Promise.reject(new Error('boom'))",
  'rejection in a timer': "setTimeout(() => Promise.reject(new Error('boom')), 0)",
  'throw in a callback': "process.nextTick(() => { throw new Error('boom') })",
  'exit code set, no crash': 'process.exitCode = 3',
};

// step: Run each in a fresh process
for (const [name, code] of Object.entries(cases)) {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
  });
  // step: Report the exit status and the error line
  const line = child.stderr.split('\n').find((l) => l.startsWith('Error')) ?? '(nothing)';
  console.log(`${name}: exit ${child.status}, stderr: ${line}`);
}
