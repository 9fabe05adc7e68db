import {
  CAPABILITY_IDS,
  GOLDEN_PATH_SOURCE_ANNOTATION,
  GOLDEN_PATH_VERSION_ANNOTATION,
  GoldenPathRelease,
} from '@paved/plugin-platform-maturity-common';
import type { EntityDocument } from './catalogInfo';
import type { GoldenPathLock } from './workspace';

/**
 * Stamps a Component with the golden-path release it is made with: the version and the source
 * annotations. A Component that already carries a version keeps its stamp unless `replace` (an
 * upgrade), so that adding one capability never claims the whole service is current.
 *
 * @returns whether the document changed
 * @internal
 */
export function stampGoldenPath(
  component: EntityDocument,
  release: GoldenPathRelease,
  options: { replace?: boolean } = {},
): boolean {
  if (
    !options.replace &&
    component.get([
      'metadata',
      'annotations',
      GOLDEN_PATH_VERSION_ANNOTATION,
    ]) !== undefined
  ) {
    return false;
  }
  const version = component.setAnnotation(
    GOLDEN_PATH_VERSION_ANNOTATION,
    release.version,
  );
  const source = component.setAnnotation(
    GOLDEN_PATH_SOURCE_ANNOTATION,
    release.source,
  );
  return version || source;
}

/**
 * The capabilities whose golden-path content the lock file records (content sets are named
 * `<capability>/<variant>`), in checklist order.
 *
 * @internal
 */
export function lockedCapabilities(lock: GoldenPathLock): string[] {
  const sets = Object.values(lock.files).map(f => f.set.split('/')[0]);
  return CAPABILITY_IDS.filter(id => sets.includes(id));
}
