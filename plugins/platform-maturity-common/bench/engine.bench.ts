/* eslint-disable no-console */
import { cpus, loadavg } from 'node:os';
import { compileRuleset, evaluate } from '../src';
import { syntheticService } from './syntheticCatalog';

// Engine throughput over a synthetic catalog. Target: 20,000 entities per second on one core.
const TOTAL = Number(process.env.BENCH_ENTITIES ?? 100_000);
const TARGET_PER_SECOND = 20_000;

const ruleset = compileRuleset({});
const catalog = {
  getEntity: (ref: string) =>
    ref.startsWith('group:')
      ? {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: ref },
          spec: {},
        }
      : undefined,
};
const now = new Date('2026-11-25T00:00:00Z');

// Generate the catalog and each entity's evaluation context up front, so that only evaluation
// is timed.
const contexts = Array.from({ length: TOTAL }, (_, i) => ({
  ...syntheticService(i),
  catalog,
  now,
}));
for (let i = 0; i < 2_000; i++) {
  evaluate(ruleset, contexts[i]);
}

const levels = new Map<number, number>();
let results = 0;
const heapBefore = process.memoryUsage().heapUsed;
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
for (const context of contexts) {
  const card = evaluate(ruleset, context);
  results += card.results.length;
  const level = card.level?.level ?? -1;
  levels.set(level, (levels.get(level) ?? 0) + 1);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const perSecond = TOTAL / seconds;

console.log(`platform-maturity-common engine benchmark`);
// Throughput depends on the core: the same code measured 15,800/s on one machine of this project
// and 26,000/s on another, so the figures name the processor and the runtime they come from.
console.log(
  `  on:                  ${cpus()[0]?.model ?? 'unknown processor'}, Node.js ${
    process.versions.node
  }`,
);
console.log(
  `  entities:            ${TOTAL.toLocaleString(
    'en-US',
  )} (about 100 repository paths each)`,
);
console.log(
  `  checks per entity:   ${ruleset.checks.length} (${results.toLocaleString(
    'en-US',
  )} results)`,
);
console.log(`  time:                ${seconds.toFixed(2)} s`);
console.log(
  `  throughput:          ${Math.round(perSecond).toLocaleString(
    'en-US',
  )} entities/s on one core (target ${TARGET_PER_SECOND.toLocaleString(
    'en-US',
  )}/s: ${perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'})`,
);
console.log(
  `  mean per entity:     ${((seconds / TOTAL) * 1e6).toFixed(1)} µs`,
);
// On a shared machine the wall-clock time includes waiting for a core: the process's CPU time
// (which also counts the garbage collector's helper threads) and the load average show how much.
console.log(
  `  cpu time:            ${cpuSeconds.toFixed(
    2,
  )} s, with GC helper threads (load average ${loadavg()
    .map(l => l.toFixed(2))
    .join(', ')})`,
);
console.log(
  `  heap growth:         ${(
    (process.memoryUsage().heapUsed - heapBefore) /
    1048576
  ).toFixed(1)} MiB`,
);
console.log(
  `  levels:              ${[...levels.entries()]
    .sort(([a], [b]) => a - b)
    .map(([l, n]) => `L${l}: ${n}`)
    .join(', ')}`,
);
