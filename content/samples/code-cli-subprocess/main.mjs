import { execFileSync, spawnSync } from 'node:child_process';

// The child programs are Node.js itself (process.execPath), so the sample runs anywhere.
const node = (code) => [process.execPath, ['-e', code]];

// step: Run a program and capture its output
const out = execFileSync(...node("console.log('hello from the child')"), {
  encoding: 'utf8',
});
console.log('captured:', out.trim());

// step: Feed it standard input
const echoed = execFileSync(...node('process.stdin.pipe(process.stdout)'), {
  input: 'piped text\n',
  encoding: 'utf8',
});
console.log('echoed:', echoed.trim());

// step: A child that fails
try {
  execFileSync(...node("console.error('disk full'); process.exit(3)"), { stdio: 'pipe' });
} catch (err) {
  // execFileSync throws on a non-zero exit; spawnSync would return the status instead
  console.log(`failed: exit ${err.status}, stderr: ${err.stderr.toString().trim()}`);
}

// step: A child that takes too long
const slow = spawnSync(...node('setTimeout(() => {}, 5000)'), { timeout: 200 });
console.log(`timed out: ${slow.error?.code}, killed by ${slow.signal}`);
