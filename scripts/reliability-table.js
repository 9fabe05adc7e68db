// Prints the reliability suite's figures (one JSON line per case family, written by the tests'
// `recordReliability`) as a table summed per area, and exits 1 when any outcome was unsafe or
// nothing was recorded.
const { readFileSync } = require('node:fs');

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const areas = new Map();
for (const line of lines) {
  const { area, tried, failedSafe, failedUnsafe } = JSON.parse(line);
  const sum = areas.get(area) ?? { tried: 0, failedSafe: 0, failedUnsafe: 0 };
  sum.tried += tried;
  sum.failedSafe += failedSafe;
  sum.failedUnsafe += failedUnsafe;
  areas.set(area, sum);
}
const rows = [...areas].sort(([a], [b]) => a.localeCompare(b));
const total = { tried: 0, failedSafe: 0, failedUnsafe: 0 };
const width = Math.max(5, ...rows.map(([area]) => area.length));
const row = (area, s) =>
  `${area.padEnd(width)}  ${String(s.tried).padStart(8)}  ${String(
    s.failedSafe,
  ).padStart(11)}  ${String(s.failedUnsafe).padStart(13)}`;
console.log('\nReliability suite');
console.log(
  `${'area'.padEnd(width)}  ${'tried'.padStart(8)}  ${'failed safe'.padStart(
    11,
  )}  ${'failed unsafe'.padStart(13)}`,
);
for (const [area, s] of rows) {
  console.log(row(area, s));
  total.tried += s.tried;
  total.failedSafe += s.failedSafe;
  total.failedUnsafe += s.failedUnsafe;
}
console.log(row('total', total));
if (rows.length === 0) {
  console.error('No reliability figures were recorded.');
  process.exit(1);
}
if (total.failedUnsafe > 0) {
  console.error(`${total.failedUnsafe} unsafe outcomes.`);
  process.exit(1);
}
