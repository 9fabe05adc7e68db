/* eslint-disable no-console */
/*
 * `npm run accuracy`: scores the corpus snapshots present on the machine and sets the verdicts
 * against the hand-made labels. Not part of `npm test`: the snapshots come from the network.
 * Options: `--corpus <file>` (default: the corpus of -common), `--markdown` (the table only,
 * for docs/accuracy.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCliConfiguration } from '../lib/config';
import { parseCorpus } from './corpus';
import { renderTable, renderText, runAccuracy, snapshotsRoot } from './run';

/** The corpus of -common; `npm run accuracy` runs from the repository root. */
const DEFAULT_CORPUS = path.resolve(
  'plugins/platform-maturity-common/accuracy/corpus.json',
);

async function main(argv: string[]): Promise<number> {
  const corpusIndex = argv.indexOf('--corpus');
  const corpusFile =
    corpusIndex >= 0
      ? path.resolve(argv[corpusIndex + 1] ?? '')
      : DEFAULT_CORPUS;
  const corpus = parseCorpus(
    JSON.parse(fs.readFileSync(corpusFile, 'utf8')),
    path.relative(process.cwd(), corpusFile),
  );
  const { ruleset } = await loadCliConfiguration({ configFiles: [], env: {} });
  const known = new Set(ruleset.checks.map(c => c.definition.id));
  const unknown = corpus.checks.filter(id => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `The corpus labels checks the default ruleset does not have: ${unknown.join(
        ', ',
      )}`,
    );
  }
  const unlabelled = ruleset.checks
    .filter(c => c.definition.evidence === 'entity+repository')
    .map(c => c.definition.id)
    .filter(id => !corpus.checks.includes(id));
  const root = snapshotsRoot();
  const run = await runAccuracy({ corpus, root, ruleset });
  if (argv.includes('--markdown')) {
    console.log(renderTable(run.report));
  } else {
    console.log(renderText(run, root));
  }
  if (unlabelled.length > 0) {
    console.log(
      `Repository-evidence checks the corpus does not label: ${unlabelled.join(
        ', ',
      )}`,
    );
  }
  return run.scored.length === 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  error => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
