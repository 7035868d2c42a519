// Read a large file line by line. The file (200,000 lines, about 12 MB)
// is written first, untimed, into the run's own folder.
const fs = require("node:fs");
const readline = require("node:readline");

const path = "lines.txt";
const out = [];
for (let i = 0; i < 200000; i++) out.push(`${i},user-${i % 1000},${(i * 7919) % 100000},some free text for line ${i}`);
fs.writeFileSync(path, out.join("\n") + "\n");

async function main() {
  let lines = 0;
  let chars = 0;
  for (let round = 0; round < 8; round++) {
    const start = process.hrtime.bigint();
    lines = 0;
    chars = 0;
    const rl = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity });
    for await (const line of rl) {
      lines++;
      chars += line.length;
    }
    console.log(`bench: ${process.hrtime.bigint() - start} ns`);
  }
  console.log(`lines: ${lines}, characters: ${chars}`);
}

main();
