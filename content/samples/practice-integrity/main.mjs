import { createHash, timingSafeEqual } from 'node:crypto';

// step: The bytes that were downloaded
// A stand-in for a package archive: any bytes work the same way.
const archive = Buffer.from('package/index.js\nmodule.exports = (s) => s.padStart(10);\n', 'utf8');

// step: Record the hashes, as a lockfile would
// npm writes Subresource Integrity strings: "<algorithm>-<base64 digest>".
const integrity = `sha512-${createHash('sha512').update(archive).digest('base64')}`;
// pip's --hash option takes "<algorithm>:<hex digest>".
const pipHash = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
console.log(`integrity: ${integrity}`);
console.log(`--hash=${pipHash}`);

// step: Verify bytes against each recorded hash
function checkIntegrity(bytes, sri) {
  // An SRI string may list several hashes separated by spaces; check the sha512 one.
  const entry = sri.split(/\s+/).find((part) => part.startsWith('sha512-'));
  if (!entry) throw new Error('no sha512 hash to check against');
  const expected = Buffer.from(entry.slice('sha512-'.length), 'base64');
  const actual = createHash('sha512').update(bytes).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function checkPipHash(bytes, spec) {
  const [algorithm, hex] = spec.split(':');
  const actual = createHash(algorithm).update(bytes).digest('hex');
  return actual === hex;
}

const verdict = (ok) => (ok ? 'ok' : 'MISMATCH');
const report = (label, bytes) =>
  console.log(`${label}: integrity ${verdict(checkIntegrity(bytes, integrity))}, hash ${verdict(checkPipHash(bytes, pipHash))}`);

report('original', archive);

// step: Change one byte and check again
const tampered = Buffer.from(archive);
tampered[tampered.length - 4] ^= 0x01; // "10" becomes "11"
report('tampered', tampered);
