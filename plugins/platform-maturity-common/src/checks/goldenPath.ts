import type { CheckImplementation } from '../engine/checkTypes';
import {
  compareGoldenPathVersions,
  GOLDEN_PATH_SOURCE_ANNOTATION,
  GOLDEN_PATH_VERSION_ANNOTATION,
  GoldenPathRelease,
  isGoldenPathVersion,
  PAVED_GOLDEN_PATH_RELEASE,
  PAVED_GOLDEN_PATH_SOURCE,
  UPGRADE_GOLDEN_PATH_TEMPLATE,
} from '../goldenPath';
import {
  annotationEvidence,
  annotations,
  fail,
  notApplicable,
  pass,
} from './helpers';

/** The id of the drift check. */
export const GOLDEN_PATH_CURRENT_CHECK = 'as-code.golden-path-current';

/** The changes of the versions after `version`, oldest first, as one sentence list. */
function changesSince(release: GoldenPathRelease, version: string): string {
  return release.notes
    .filter(note => compareGoldenPathVersions(note.version, version) > 0)
    .reverse()
    .map(note => `${note.version}: ${note.changes.join(' ')}`)
    .join(' ');
}

/**
 * The `as-code.golden-path-current` check against a golden-path release: whether the entity's
 * stamp (`paved.dev/golden-path-version`, `paved.dev/golden-path-source`) names the current
 * version of the content in force, and what changed since when it does not. Entities without
 * the stamp were not made from a golden path: not applicable.
 */
export function goldenPathCurrentCheck(
  release: GoldenPathRelease,
): CheckImplementation {
  return {
    id: GOLDEN_PATH_CURRENT_CHECK,
    capability: 'as-code',
    title: 'On the current golden path',
    description:
      'A service made from a golden path carries the version of the golden-path content it was made or last upgraded with (the paved.dev/golden-path-version annotation); it is on the current version, so it has the platform team’s latest improvements. Not applicable to services not made from a golden path.',
    evidence: 'entity',
    remediation: { templateRef: UPGRADE_GOLDEN_PATH_TEMPLATE, values: {} },
    evaluate({ entity }) {
      const values = annotations(entity);
      const version = values[GOLDEN_PATH_VERSION_ANNOTATION];
      if (version === undefined) {
        return notApplicable(
          `Not made from a golden path: no ${GOLDEN_PATH_VERSION_ANNOTATION} annotation.`,
        );
      }
      const source =
        values[GOLDEN_PATH_SOURCE_ANNOTATION] ?? PAVED_GOLDEN_PATH_SOURCE;
      const evidence = [
        annotationEvidence(GOLDEN_PATH_VERSION_ANNOTATION, String(version)),
        ...(values[GOLDEN_PATH_SOURCE_ANNOTATION] !== undefined
          ? [annotationEvidence(GOLDEN_PATH_SOURCE_ANNOTATION, String(source))]
          : []),
      ];
      const current = `${release.source} ${release.version}`;
      if (!isGoldenPathVersion(version)) {
        return fail(
          `The ${GOLDEN_PATH_VERSION_ANNOTATION} annotation is '${String(
            version,
          ).slice(
            0,
            40,
          )}', not a version like 1.2.0; upgrade to the current golden path (${current}) to set it again.`,
          evidence,
        );
      }
      if (source !== release.source) {
        return fail(
          `Made from the golden path '${source}' ${version}; the current golden path is ${current}. Upgrade to move to it.`,
          evidence,
        );
      }
      const order = compareGoldenPathVersions(version, release.version);
      if (order === 0) {
        return pass(`On the current golden path (${current}).`, evidence);
      }
      if (order > 0) {
        return fail(
          `On golden-path version ${version}, which ${release.source} has not released: its current version is ${release.version}.`,
          evidence,
        );
      }
      return fail(
        `Behind the golden path: on ${version}, the current is ${
          release.version
        }. Changed since: ${changesSince(release, version)}`,
        evidence,
      );
    },
  };
}

/** The drift check against the content Paved ships; surfaces give it the content in force. */
export const goldenPathChecks: CheckImplementation[] = [
  goldenPathCurrentCheck(PAVED_GOLDEN_PATH_RELEASE),
];
