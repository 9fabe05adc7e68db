/* eslint-disable no-console */
import {
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import { readDirectorySnapshot } from '@paved/plugin-platform-maturity-node';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scoreDirectory } from '../src/lib/score';
import { PAVED_SERVICE, writeFiles } from '../src/__testUtils__/fixtures';

// How long `paved score` takes on a repository of 10,000 files. Target: under one second.
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_SECONDS = 1;

const packageDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(packageDir, '../..');
const bin = path.join(packageDir, 'bin/paved');
/** The packages an installed `paved` consists of, as `scripts/test-pack.js --keep` names them. */
const PACKED = [
  'paved-platform-maturity-cli.tgz',
  'paved-plugin-platform-maturity-common.tgz',
  'paved-plugin-platform-maturity-node.tgz',
];

/**
 * A service repository of `count` files: the paved service's files, and packages whose manifests,
 * sources, tests and deployment YAML the checks list and read.
 */
function createRepository(dir: string, count: number): void {
  const files: Record<string, string> = { ...PAVED_SERVICE };
  let pkg = 0;
  while (Object.keys(files).length < count) {
    const base = `packages/pkg-${pkg}`;
    files[`${base}/package.json`] = JSON.stringify({
      name: `pkg-${pkg}`,
      version: '1.0.0',
      dependencies: { express: '^4.21.0', zod: '^4.1.0' },
    });
    files[`${base}/deploy/values.yaml`] =
      'replicaCount: 2\nimage:\n  repository: ghcr.io/acme/pkg\n';
    files[`${base}/README.md`] = `# pkg-${pkg}\n`;
    for (let i = 0; i < 90 && Object.keys(files).length < count; i++) {
      files[`${base}/src/module-${i}.ts`] = `export const value${i} = ${i};\n`;
      if (i % 10 === 0) {
        files[
          `${base}/src/module-${i}.test.ts`
        ] = `test('value', () => expect(${i}).toBe(${i}));\n`;
      }
    }
    pkg++;
  }
  writeFiles(dir, files);
}

/** Runs a command to its end, or throws with its output. */
function runToEnd(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`,
    );
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function runBinary(args: string[], command = bin): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [command, ...args], {
    env: { ...process.env, PAVED_CLI_DIST: '1' },
    encoding: 'utf8',
  });
  const elapsed = seconds(start);
  if (result.status !== 0) {
    throw new Error(`paved ${args.join(' ')} failed:\n${result.stderr}`);
  }
  return elapsed;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-install-'));
  try {
    createRepository(dir, FILES);

    const build = spawnSync(
      process.execPath,
      [
        path.join(
          path.dirname(require.resolve('@backstage/cli/package.json')),
          'bin/backstage-cli',
        ),
        'package',
        'build',
      ],
      { cwd: packageDir, encoding: 'utf8' },
    );
    if (build.status !== 0) {
      throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    }

    const ruleset = compileRuleset({});
    const walk: number[] = [];
    const engine: number[] = [];
    const total: number[] = [];
    let level = '';
    for (let run = 0; run < RUNS; run++) {
      let start = process.hrtime.bigint();
      const snapshot = await readDirectorySnapshot(dir);
      walk.push(seconds(start));
      start = process.hrtime.bigint();
      evaluate(ruleset, {
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'bench' },
          spec: { type: 'service' },
        },
        repository: snapshot,
        now: new Date(),
      });
      engine.push(seconds(start));
      start = process.hrtime.bigint();
      const scored = await scoreDirectory({
        directory: dir,
        ruleset,
        now: new Date(),
      });
      total.push(seconds(start));
      level = `${scored.scorecard.level?.level} ${scored.scorecard.level?.name}, ${scored.files} files`;
    }

    const startup: number[] = [];
    const process_: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      startup.push(runBinary(['--version']));
      process_.push(runBinary(['score', dir, '--format', 'json']));
    }

    // As an adopter's CI runs it: the packed packages installed from tarballs, run from their
    // builds with no TypeScript transform.
    const packed = path.join(work, 'packed');
    const installed = path.join(work, 'installed');
    runToEnd(
      process.execPath,
      ['scripts/test-pack.js', '--keep', packed],
      repoRoot,
    );
    fs.mkdirSync(installed);
    fs.writeFileSync(
      path.join(installed, 'package.json'),
      JSON.stringify({ name: 'paved-bench-install', private: true }),
    );
    runToEnd(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ...PACKED.map(file => path.join(packed, file)),
      ],
      installed,
    );
    const installedBin = path.join(
      installed,
      'node_modules/@paved/platform-maturity-cli/bin/paved',
    );
    const installedStartup: number[] = [];
    const installedProcess: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      installedStartup.push(runBinary(['--version'], installedBin));
      installedProcess.push(
        runBinary(['score', dir, '--format', 'json'], installedBin),
      );
    }

    const ms = (s: number) => `${Math.round(s * 1000)} ms`;
    const inProcess = median(total);
    const wholeProcess = median(process_);
    const scoring = wholeProcess - median(startup);
    console.log('platform-maturity-cli benchmark: paved score');
    console.log(
      `  repository:           ${FILES.toLocaleString(
        'en-US',
      )} files (${level})`,
    );
    console.log(`  runs:                 ${RUNS}, medians below`);
    console.log(
      `  in-process, total:    ${ms(
        inProcess,
      )} (catalog file, directory walk, all checks)`,
    );
    console.log(`    directory walk:     ${ms(median(walk))}`);
    console.log(`    engine:             ${ms(median(engine))}`);
    console.log(
      `  whole process:        ${ms(
        wholeProcess,
      )} (node bin/paved score --format json)`,
    );
    console.log(
      `    start-up:           ${ms(
        median(startup),
      )} (node bin/paved --version; in this repository it includes compiling the workspace's TypeScript packages)`,
    );
    console.log(
      `    scoring:            ${ms(scoring)} (whole process minus start-up)`,
    );
    const installedWhole = median(installedProcess);
    console.log(
      `  installed package:    ${ms(
        installedWhole,
      )} (node_modules/.bin/paved score --format json, from the packed tarballs)`,
    );
    console.log(
      `    start-up:           ${ms(
        median(installedStartup),
      )} (paved --version from the build)`,
    );
    console.log(
      `  target:               under ${TARGET_SECONDS} s to start and score from the installed package: ${
        installedWhole < TARGET_SECONDS ? 'met' : 'NOT met'
      }`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
