// step: A packed array of doubles
const values = new Float64Array([10.5, 9.25, 1.5, -2.5, 0.75]);
console.log(`items: ${values.length}, bytes per item: ${Float64Array.BYTES_PER_ELEMENT}, total bytes: ${values.byteLength}`);

// step: Sort numerically, in place
// Typed arrays sort as numbers; a plain Array's sort() without a comparator would compare strings.
values.sort();
console.log(`sorted: ${values.join(' ')}`);

// step: Look at the raw bytes of one value
const bytes = new Uint8Array(values.buffer, 0, 8);
console.log(`bytes of ${values[0]}: ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`);

// step: Add 0.1 ten times
const tenths = new Float64Array(10).fill(0.1);
const plain = tenths.reduce((a, b) => a + b, 0);
// No built-in correctly rounded sum: Neumaier's compensated summation carries the lost low bits.
function compensatedSum(xs) {
  let sum = 0;
  let c = 0;
  for (const x of xs) {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  return sum + c;
}
console.log(`added one by one: ${plain.toFixed(16)}`);
console.log(`corrected sum:    ${compensatedSum(tenths).toFixed(16)}`);
