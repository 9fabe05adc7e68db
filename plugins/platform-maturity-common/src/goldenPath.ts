import { z } from 'zod';

/**
 * The annotation that stamps a generated entity with the golden-path content version it was
 * made (or last upgraded) with, such as `1.2.0`.
 *
 * @public
 */
export const GOLDEN_PATH_VERSION_ANNOTATION = 'paved.dev/golden-path-version';

/**
 * The annotation that names the golden-path content a generated entity was made from: `paved`
 * for the content Paved ships, or the `source` of the platform team's `CHANGELOG.yaml`.
 *
 * @public
 */
export const GOLDEN_PATH_SOURCE_ANNOTATION = 'paved.dev/golden-path-source';

/**
 * The ref of the template that upgrades a service to the current golden-path content, where the
 * `as-code.golden-path-current` check's Fix link leads.
 *
 * @public
 */
export const UPGRADE_GOLDEN_PATH_TEMPLATE =
  'template:default/upgrade-golden-path';

/**
 * One version of the golden-path content and what changed in it.
 *
 * @public
 */
export interface GoldenPathReleaseNote {
  /** A version like `1.2.0`. */
  version: string;
  /** What changed in this version, one sentence each. */
  changes: string[];
}

/**
 * The golden-path content in force: its source, its current version and its changelog, newest
 * first (the first note is the current version).
 *
 * @public
 */
export interface GoldenPathRelease {
  /** `paved`, or the platform team's name for its content. */
  source: string;
  /** The current version, the first note's. */
  version: string;
  /** Every version, newest first. */
  notes: GoldenPathReleaseNote[];
}

/**
 * The source name of the content Paved ships.
 *
 * @public
 */
export const PAVED_GOLDEN_PATH_SOURCE = 'paved';

/**
 * The release of the golden-path content that Paved's scaffolder module ships (its `content/`
 * directory): bumped, with a note, whenever that content changes. A platform team's own content
 * has its own release, in the `CHANGELOG.yaml` of its content directory.
 *
 * @public
 */
export const PAVED_GOLDEN_PATH_RELEASE: GoldenPathRelease = Object.freeze({
  source: PAVED_GOLDEN_PATH_SOURCE,
  version: '1.0.0',
  notes: [
    {
      version: '1.0.0',
      changes: [
        'Golden-path files are content: real workflows, Dockerfiles, charts and runbooks with one versions.yaml of runtime versions (Go 1.25, Node.js 22, Python 3.12).',
        'Generated files are recorded in .paved/golden-path.lock.json, so that an upgrade replaces only the files their owner did not change.',
      ],
    },
  ],
});

const VERSION = /^\d+\.\d+\.\d+$/;

/**
 * Compares two versions like `1.2.0`: negative when `a` is older, positive when newer.
 *
 * @public
 */
export function compareGoldenPathVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] - pb[i];
    }
  }
  return 0;
}

/**
 * Whether a text is a golden-path content version, like `1.2.0`.
 *
 * @public
 */
export function isGoldenPathVersion(value: unknown): value is string {
  return typeof value === 'string' && VERSION.test(value);
}

const changelogSchema = z.strictObject({
  source: z
    .string({ error: 'must name the content, such as acme-platform' })
    .regex(
      /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/,
      'must be lower-case letters and digits joined by -, _ or ., such as acme-platform',
    )
    .max(63, 'must be at most 63 characters'),
  releases: z
    .array(
      z.strictObject({
        version: z
          .string({ error: 'must be a version like 1.2.0' })
          .regex(VERSION, 'must be a version like 1.2.0'),
        changes: z
          .array(z.string().min(1, 'must not be empty'), {
            error: 'must be a list of what changed',
          })
          .min(1, 'must list at least one change'),
      }),
      { error: 'must be a list of releases, newest first' },
    )
    .min(1, 'must list at least one release'),
});

/**
 * Reads a golden-path content changelog (`CHANGELOG.yaml`, already parsed from YAML): its
 * `source` and its `releases`, newest first, each with its `version` and `changes`.
 *
 * @param raw - the parsed file
 * @param file - the file's name, for errors
 * @throws Error naming the file and the key when the changelog is malformed
 * @public
 */
export function parseGoldenPathChangelog(
  raw: unknown,
  file: string,
): GoldenPathRelease {
  const parsed = changelogSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: '${issue.path.join('.') || '(root)'}' ${issue.message}`,
    );
  }
  const { source, releases } = parsed.data;
  releases.forEach((release, i) => {
    if (
      i > 0 &&
      compareGoldenPathVersions(releases[i - 1].version, release.version) <= 0
    ) {
      throw new Error(
        `${file}: 'releases.${i}.version' ${
          release.version
        } must be older than ${
          releases[i - 1].version
        } above it: releases are listed newest first`,
      );
    }
  });
  return { source, version: releases[0].version, notes: releases };
}
