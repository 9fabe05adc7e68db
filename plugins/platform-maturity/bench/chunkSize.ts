/* eslint-disable no-console */
import { existsSync, readFileSync } from 'fs';
import { dirname, relative, resolve } from 'path';
import { gzipSync } from 'zlib';

// The size of the entity card's lazy chunk: the package's own built modules reachable from the
// module the card extension imports lazily. Run after `backstage-cli package build`.

/** The budget for the card's own code, gzipped. */
const BUDGET_GZIP_BYTES = 10 * 1024;

/** Exports of the common package that pull in the engine, the checks or the ruleset compiler. */
const ENGINE_EXPORTS = new Set([
  'BUILTIN_CHECKS',
  'compileRuleset',
  'computeLevel',
  'evaluate',
  'overallScore',
  'RulesetConfigError',
  'scoreCapabilities',
]);
const COMMON_PACKAGE = '@paved/plugin-platform-maturity-common';

const dist = resolve(__dirname, '../dist');

interface ModuleGraph {
  files: Set<string>;
  /** Bare imports: package name to the names imported from it. */
  externals: Map<string, Set<string>>;
}

const STATIC_IMPORT =
  /^\s*(?:import|export)\s+(?:([\s\S]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;

function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** The modules a module imports statically, followed through the package's own files. */
function staticGraph(entry: string): ModuleGraph {
  const graph: ModuleGraph = { files: new Set(), externals: new Map() };
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.files.has(file)) {
      continue;
    }
    graph.files.add(file);
    for (const [, clause, specifier] of read(file).matchAll(STATIC_IMPORT)) {
      if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier));
        continue;
      }
      const names = graph.externals.get(specifier) ?? new Set<string>();
      graph.externals.set(specifier, names);
      const braces = clause?.match(/\{([^}]*)\}/);
      for (const name of braces?.[1].split(',') ?? []) {
        const imported = name.trim().split(/\s+as\s+/)[0];
        if (imported) {
          names.add(imported);
        }
      }
      if (clause && !braces) {
        names.add(clause.trim());
      }
    }
  }
  return graph;
}

/** The module that a file imports lazily for the card. */
function lazyCardModule(fromFile: string): string {
  const match = read(fromFile).match(
    /import\(\s*['"]([^'"]*EntityPlatformMaturityCard[^'"]*)['"]\s*\)/,
  );
  if (!match) {
    throw new Error(
      `${relative(dist, fromFile)} does not import the card lazily`,
    );
  }
  return resolve(dirname(fromFile), match[1]);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function main() {
  if (!existsSync(resolve(dist, 'plugin.esm.js'))) {
    throw new Error(
      'No build output in dist/; run `backstage-cli package build` first',
    );
  }
  const cardModule = lazyCardModule(resolve(dist, 'plugin.esm.js'));
  const alphaCardModule = lazyCardModule(
    resolve(dist, 'alpha/extensions.esm.js'),
  );
  if (alphaCardModule !== cardModule) {
    throw new Error(
      `The legacy and the alpha card load different modules: ${relative(
        dist,
        cardModule,
      )} and ${relative(dist, alphaCardModule)}`,
    );
  }

  const card = staticGraph(cardModule);
  const entry = staticGraph(resolve(dist, 'index.esm.js'));
  const files = [...card.files].sort();
  const chunkOnly = files.filter(f => !entry.files.has(f));

  const sources = files.map(read);
  const raw = sources.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  const gzip = gzipSync(sources.join('\n'), { level: 9 }).length;
  const chunkOnlyGzip = gzipSync(chunkOnly.map(read).join('\n'), {
    level: 9,
  }).length;

  console.log(
    `Entity card lazy chunk: ${relative(dist, cardModule)} (legacy and alpha)`,
  );
  const width = Math.max(...files.map(f => relative(dist, f).length));
  for (const file of files) {
    const shared = entry.files.has(file) ? ' (also in the entry chunk)' : '';
    console.log(
      `  ${relative(dist, file).padEnd(width)} ${String(
        Buffer.byteLength(read(file)),
      ).padStart(6)} B${shared}`,
    );
  }
  console.log(
    `  ${files.length} modules: ${kib(raw)} raw, ${kib(gzip)} gzipped; ${
      chunkOnly.length
    } modules only in the chunk: ${kib(chunkOnlyGzip)} gzipped`,
  );

  const common = [...(card.externals.get(COMMON_PACKAGE) ?? [])].sort();
  console.log(
    `  runtime imports from ${COMMON_PACKAGE}: ${common.join(', ') || 'none'}`,
  );
  console.log(
    `  packages: ${[...card.externals.keys()]
      .map(p =>
        p
          .split('/')
          .slice(0, p.startsWith('@') ? 2 : 1)
          .join('/'),
      )
      .filter((p, i, all) => all.indexOf(p) === i)
      .sort()
      .join(', ')}`,
  );

  const engine = common.filter(name => ENGINE_EXPORTS.has(name));
  if (engine.length > 0) {
    console.error(
      `The card imports the engine from ${COMMON_PACKAGE}: ${engine.join(
        ', ',
      )}`,
    );
    process.exitCode = 1;
  }
  if (gzip > BUDGET_GZIP_BYTES) {
    console.error(
      `The card chunk is ${kib(gzip)} gzipped, over its budget of ${kib(
        BUDGET_GZIP_BYTES,
      )}`,
    );
    process.exitCode = 1;
  }
}

main();
