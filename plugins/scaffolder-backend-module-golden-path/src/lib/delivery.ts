import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type {
  DeliveryTarget,
  DeliveryTargetId,
} from '@paved/plugin-platform-maturity-common';
import { isPathInside } from '@paved/plugin-platform-maturity-node';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';
import { LOCAL_PUBLISH_ROOT_KEY } from '../config';
import { PUBLISHED_BY_KEY, PUBLISHED_BY_VALUE } from './published';

/** What the template's steps need to deliver to an available target. */
export type DeliveryPlan =
  | {
      id: 'scm';
      /** The source location, for `fetch:plain`. */
      fetchUrl: string;
      /** `host?owner=…&repo=…`, for `publish:github:pull-request`. */
      repoUrl: string;
      /** The service's directory in the repository ('' at its root). */
      targetPath: string;
    }
  | {
      id: 'local';
      /** The entity's catalog file, for `paved:fetch:local`. */
      location: string;
    };

/** A delivery target with the plan that goes with it when it is available. */
export type DeliveryDecision = DeliveryTarget & { plan?: DeliveryPlan };

/** The titles of the targets, shared by the form and the run. */
export const DELIVERY_TARGET_TITLES: Record<DeliveryTargetId, string> = {
  scm: "A pull request to the service's repository",
  local: 'A new commit in the local repository root',
};

interface Source {
  type: string;
  target: string;
}

/** Where the entity's files are: its source location, else the location it was registered from. */
function sourceOf(entity: Entity): Source | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const ref =
    annotations[ANNOTATION_SOURCE_LOCATION] ?? annotations[ANNOTATION_LOCATION];
  if (!ref) {
    return undefined;
  }
  try {
    return parseLocationRef(ref);
  } catch {
    return undefined;
  }
}

/** The absolute path of a `file` location, without a trailing file name when it names one. */
const filePath = (target: string) =>
  path.resolve(
    target.startsWith('file://') ? new URL(target).pathname : target,
  );

function decideScm(
  entityRef: string,
  entity: Entity,
  integrations: ScmIntegrationRegistry,
): DeliveryDecision {
  const title = DELIVERY_TARGET_TITLES.scm;
  const unavailable = (reason: string): DeliveryDecision => ({
    id: 'scm',
    title,
    available: false,
    reason,
  });
  const source = sourceOf(entity);
  if (!source) {
    return unavailable(
      `${entityRef} has no source location (annotation ${ANNOTATION_SOURCE_LOCATION}), so there is no repository to open a pull request on. Add the annotation to its catalog entry.`,
    );
  }
  if (source.type !== 'url') {
    return unavailable(
      `${entityRef}'s repository is a directory on the Backstage server (${source.target}), not on a Git host, so a pull request cannot be opened.`,
    );
  }
  let url: URL;
  try {
    url = new URL(source.target);
  } catch {
    return unavailable(
      `${entityRef}'s source location '${source.target}' is not a URL. Correct the ${ANNOTATION_SOURCE_LOCATION} annotation.`,
    );
  }
  const integration = integrations.byUrl(url);
  if (!integration) {
    return unavailable(
      `No integration is configured for ${url.host}, so Backstage cannot write to ${entityRef}'s repository. Ask your Backstage admins to add ${url.host} under integrations in app-config.`,
    );
  }
  if (integration.type !== 'github') {
    return unavailable(
      `${entityRef}'s repository is on ${url.host} (${integration.type}); this template opens pull requests on GitHub hosts only.`,
    );
  }
  const github = integrations.github.byHost(url.host);
  if (!github?.config.token && !github?.config.apps?.length) {
    return unavailable(
      `The GitHub integration for ${url.host} has no credentials, so no pull request can be opened. Ask your Backstage admins to give integrations.github a token or a GitHub App.`,
    );
  }
  // https://host/owner/repo[/tree/branch/dir…]
  const [owner, repo, kind, , ...rest] = url.pathname
    .split('/')
    .filter(Boolean);
  if (!owner || !repo) {
    return unavailable(
      `${entityRef}'s source location ${source.target} does not name a repository (https://${url.host}/owner/repo). Correct the ${ANNOTATION_SOURCE_LOCATION} annotation.`,
    );
  }
  return {
    id: 'scm',
    title,
    available: true,
    plan: {
      id: 'scm',
      fetchUrl: source.target,
      repoUrl: `${url.host}?owner=${encodeURIComponent(
        owner,
      )}&repo=${encodeURIComponent(repo.replace(/\.git$/, ''))}`,
      targetPath: kind === 'tree' || kind === 'blob' ? rest.join('/') : '',
    },
  };
}

async function decideLocal(
  entityRef: string,
  entity: Entity,
  localPublishRoot: string | undefined,
): Promise<DeliveryDecision> {
  const title = DELIVERY_TARGET_TITLES.local;
  const unavailable = (reason: string): DeliveryDecision => ({
    id: 'local',
    title,
    available: false,
    reason,
  });
  if (!localPublishRoot) {
    return unavailable(
      `Local delivery is off on this Backstage: ${LOCAL_PUBLISH_ROOT_KEY} is not set.`,
    );
  }
  const root = path.resolve(localPublishRoot);
  const locationRef = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  const location = locationRef ? parseLocationRef(locationRef) : undefined;
  if (location?.type !== 'file') {
    return unavailable(
      `${entityRef} was not registered from a file in the local repository root (${root}), so there is no local repository to commit to.`,
    );
  }
  const catalogFile = filePath(location.target);
  if (catalogFile === root || !isPathInside(root, catalogFile)) {
    return unavailable(
      `${entityRef} is registered from ${catalogFile}, which is not inside the local repository root (${root}); only repositories there get local commits.`,
    );
  }
  const repository = path.join(
    root,
    path.relative(root, catalogFile).split(path.sep)[0],
  );
  const source = sourceOf(entity);
  if (
    source &&
    (source.type !== 'file' ||
      !isPathInside(repository, filePath(source.target)))
  ) {
    return unavailable(
      `${entityRef}'s source location ${source.target} is not its local repository (${repository}), so a local commit would not change what is scored. Remove or correct its ${ANNOTATION_SOURCE_LOCATION} annotation.`,
    );
  }
  const marker = await git
    .getConfig({ fs, dir: repository, path: PUBLISHED_BY_KEY })
    .catch(() => undefined);
  if (marker !== PUBLISHED_BY_VALUE) {
    return unavailable(
      `${repository} is not a git repository published by paved:publish:local, so it is left alone.`,
    );
  }
  return {
    id: 'local',
    title,
    available: true,
    plan: { id: 'local', location: locationRef! },
  };
}

/**
 * Decides which delivery targets can work for an entity, from its source location, the
 * configured integrations and the local repository root. The template form offers only the
 * available ones (and shows why the others are not), and `paved:delivery:resolve` applies the
 * same decision when the template runs.
 *
 * @internal
 */
export async function decideDeliveryTargets(options: {
  entity: Entity;
  integrations: ScmIntegrationRegistry;
  localPublishRoot?: string;
}): Promise<DeliveryDecision[]> {
  const { entity, integrations, localPublishRoot } = options;
  const entityRef = stringifyEntityRef(entity);
  return [
    decideScm(entityRef, entity, integrations),
    await decideLocal(entityRef, entity, localPublishRoot),
  ];
}

/**
 * Decides where a new service's repository can be published: on GitHub when an integration has
 * credentials to create repositories, or in the local repository root when it is set.
 *
 * @internal
 */
export function decidePublishTargets(options: {
  integrations: ScmIntegrationRegistry;
  localPublishRoot?: string;
}): DeliveryTarget[] {
  const { integrations, localPublishRoot } = options;
  const github = integrations.github
    .list()
    .some(i => i.config.token || i.config.apps?.length);
  return [
    github
      ? { id: 'scm', title: 'A new GitHub repository', available: true }
      : {
          id: 'scm',
          title: 'A new GitHub repository',
          available: false,
          reason:
            'No GitHub integration with credentials is configured (integrations.github: a token or a GitHub App), so no repository can be created there. Ask your Backstage admins to add one.',
        },
    localPublishRoot
      ? {
          id: 'local',
          title: 'The local repository root',
          available: true,
        }
      : {
          id: 'local',
          title: 'The local repository root',
          available: false,
          reason: `Local publishing is off on this Backstage: ${LOCAL_PUBLISH_ROOT_KEY} is not set.`,
        },
  ];
}
