import { readFileSync } from 'node:fs';

// step: Parse the CSV
// Node.js has no CSV module: this handles quoted fields and doubled quotes, nothing more.
function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

const orders = parseCSV(readFileSync('orders.csv', 'utf8'));

// step: Group the amounts by city
const byCity = Map.groupBy(orders, (order) => order.city);

// step: Summarise each group
// No statistics module either: mean, median and sample standard deviation by hand.
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
function median(xs) {
  const s = xs.toSorted((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
function stdev(xs) {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

// step: Print a table, sorted by city
console.log(`${'city'.padEnd(10)}${'n'.padStart(3)}${'mean'.padStart(9)}${'median'.padStart(9)}${'stdev'.padStart(9)}`);
for (const city of [...byCity.keys()].sort()) {
  const amounts = byCity.get(city).map((order) => Number(order.amount));
  console.log(
    city.padEnd(10) +
      String(amounts.length).padStart(3) +
      [mean(amounts), median(amounts), stdev(amounts)].map((x) => x.toFixed(2).padStart(9)).join(''),
  );
}
