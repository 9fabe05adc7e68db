import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * The statuses a label can have: those of the engine that a person can decide from the files.
 * `unknown` and `waived` are never labels: the first says the evidence could not be read, the
 * second is an exemption, not a verdict.
 *
 * @internal
 */
export const LABEL_STATUSES = ['pass', 'fail', 'not-applicable'] as const;

/** @internal */
export type LabelStatus = (typeof LABEL_STATUSES)[number];

const CHECK_ID = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

const labelSchema = z
  .object({
    status: z.enum(LABEL_STATUSES),
    /** The repository paths (`path` or `path:line`) that decided the label. */
    evidence: z.array(z.string().min(1)),
    /** Why, in one line. */
    reason: z.string().min(1),
  })
  .strict();

const entrySchema = z
  .object({
    /** Unique, used in reports. */
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.+-]*$/,
        'lower-case letters, digits, ., + and -',
      ),
    /** GitHub `owner/name`. */
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
    /** The commit the labels were made at. */
    commit: z
      .string()
      .regex(/^[0-9a-f]{40}$/, 'a full 40-character commit SHA'),
    /** The service's sub-directory in a monorepo; the repository root when absent. */
    directory: z
      .string()
      .min(1)
      .refine(
        d => !d.startsWith('/') && !d.split('/').includes('..'),
        'a relative path inside the repository',
      )
      .optional(),
    languages: z.array(z.string().min(1)).min(1),
    /** What makes the repository interesting for the corpus: `monorepo`, `helm`, `bare` … */
    traits: z.array(z.string().min(1)),
    /** True when the catalog entry puts the entity out of the checks' scope (no results). */
    outOfScope: z.boolean().optional(),
    labels: z.record(z.string().regex(CHECK_ID, 'a check id'), labelSchema),
  })
  .strict();

const corpusSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    /** The checks every in-scope entry labels. */
    checks: z.array(z.string().regex(CHECK_ID, 'a check id')).min(1),
    entries: z.array(entrySchema),
  })
  .strict();

/** @internal */
export type CorpusLabel = z.infer<typeof labelSchema>;
/** @internal */
export type CorpusEntry = z.infer<typeof entrySchema>;
/** @internal */
export type Corpus = z.infer<typeof corpusSchema>;

function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${i > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}

/**
 * Validates a parsed corpus: its shape, unique entry ids, and that every in-scope entry labels
 * exactly the corpus' checks (an out-of-scope entry labels none).
 *
 * @throws InputError naming the field and the problem
 * @internal
 */
export function parseCorpus(value: unknown, source = 'corpus'): Corpus {
  const parsed = corpusSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new InputError(
      `${source}: ${fieldOf(issue.path) || '(root)'}: ${issue.message}`,
    );
  }
  const corpus = parsed.data;
  const checks = new Set(corpus.checks);
  if (checks.size !== corpus.checks.length) {
    throw new InputError(`${source}: checks: lists a check twice`);
  }
  const ids = new Set<string>();
  corpus.entries.forEach((entry, index) => {
    const field = `entries[${index}]`;
    if (ids.has(entry.id)) {
      throw new InputError(
        `${source}: ${field}.id: '${entry.id}' is used twice`,
      );
    }
    ids.add(entry.id);
    const labelled = Object.keys(entry.labels);
    if (entry.outOfScope) {
      if (labelled.length > 0) {
        throw new InputError(
          `${source}: ${field}.labels: an out-of-scope entry has no check results to label`,
        );
      }
      return;
    }
    const unknown = labelled.filter(id => !checks.has(id));
    if (unknown.length > 0) {
      throw new InputError(
        `${source}: ${field}.labels.${unknown[0]}: not one of the corpus' checks`,
      );
    }
    const missing = corpus.checks.filter(id => !entry.labels[id]);
    if (missing.length > 0) {
      throw new InputError(
        `${source}: ${field}.labels: no label for ${missing.join(', ')}`,
      );
    }
    for (const [id, label] of Object.entries(entry.labels)) {
      if (label.status === 'pass' && label.evidence.length === 0) {
        throw new InputError(
          `${source}: ${field}.labels.${id}.evidence: a pass names the files that decide it`,
        );
      }
    }
  });
  return corpus;
}

/**
 * The directory name of an entry's snapshot under the snapshots root:
 * `owner+name@commit`.
 *
 * @internal
 */
export function snapshotDirectoryName(entry: CorpusEntry): string {
  return `${entry.repository.replace('/', '+')}@${entry.commit}`;
}
