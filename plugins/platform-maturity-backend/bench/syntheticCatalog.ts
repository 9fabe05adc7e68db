import type { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { setImmediate } from 'node:timers/promises';

// A synthetic catalog and its repositories for the benchmark. Entities are made when they are
// asked for, never held, so that the memory the benchmark measures is the plugin's, not the
// mock's; it grows with the catalog only if the plugin holds on to what it streamed.

const TEAMS = 50;
const SYSTEMS = 20;
const DOMAINS = 4;

/** Where component `svc-<i>`'s repository is, by default: a host the benchmark's reader serves. */
const defaultSourceLocation = (i: number) =>
  `https://git.example.com/acme/svc-${i}/tree/main/`;

/**
 * Component `svc-<i>`: a service, some on call, some experimental, owned by one of 50 teams, with
 * its repository at `sourceLocation(i)`.
 *
 * @internal
 */
export function componentOf(
  i: number,
  sourceLocation: (i: number) => string = defaultSourceLocation,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `svc-${i}`,
      namespace: 'default',
      etag: `e${i}`,
      annotations: {
        'backstage.io/source-location': `url:${sourceLocation(i)}`,
        ...(i % 3 === 0 ? { 'pagerduty.com/service-id': `P${i}` } : {}),
      },
    },
    spec: {
      type: 'service',
      lifecycle: i % 5 === 0 ? 'experimental' : 'production',
      owner: `group:default/team-${i % TEAMS}`,
      system: `system-${i % SYSTEMS}`,
    },
  };
}

/** The groups and systems that the components refer to: the evaluator's lookups. */
const lookupEntities: Entity[] = [
  ...Array.from({ length: TEAMS }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: `team-${i}`, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
  ...Array.from({ length: SYSTEMS }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: `system-${i}`, namespace: 'default' },
    spec: { owner: `team-${i % TEAMS}`, domain: `domain-${i % DOMAINS}` },
  })),
];

/**
 * The parts of the catalog service the plugin calls: `streamEntities` (the run, in pages, and its
 * lookups of groups and systems), `getEntityByRef` (the visibility check of the API) and
 * `getEntitiesByRefs` (the entities of a push). The rest
 * of the service is never called, hence the cast.
 *
 * @internal
 */
export function syntheticCatalog(
  total: number,
  sourceLocation: (i: number) => string = defaultSourceLocation,
): CatalogService {
  const componentIndex = (ref: CompoundEntityRef) => {
    const match = /^svc-(\d+)$/.exec(ref.name);
    const i = match ? Number(match[1]) : -1;
    return ref.kind.toLowerCase() === 'component' &&
      ref.namespace.toLowerCase() === 'default' &&
      i >= 0 &&
      i < total
      ? i
      : undefined;
  };
  const getEntityByRef = async (ref: string | CompoundEntityRef) => {
    const compound = typeof ref === 'string' ? parseEntityRef(ref) : ref;
    const i = componentIndex(compound);
    if (i !== undefined) {
      return componentOf(i, sourceLocation);
    }
    return lookupEntities.find(
      e =>
        e.kind.toLowerCase() === compound.kind.toLowerCase() &&
        e.metadata.name === compound.name,
    );
  };
  return {
    async *streamEntities(request?: { filter?: unknown; pageSize?: number }) {
      const kinds = ((request?.filter as { kind?: string[] })?.kind ?? []).map(
        k => k.toLowerCase(),
      );
      if (kinds.includes('group') || kinds.includes('system')) {
        yield lookupEntities.filter(e => kinds.includes(e.kind.toLowerCase()));
        return;
      }
      const size = request?.pageSize ?? 200;
      for (let start = 0; start < total; start += size) {
        await setImmediate();
        const end = Math.min(start + size, total);
        yield Array.from({ length: end - start }, (_, k) =>
          componentOf(start + k, sourceLocation),
        );
      }
    },
    getEntityByRef,
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return {
        items: await Promise.all(request.entityRefs.map(getEntityByRef)),
      };
    },
  } as unknown as CatalogService;
}

const WORKFLOW =
  'jobs:\n  test:\n    steps:\n      - run: npm test\n      - uses: docker/build-push-action@v6\n';

/** About 100 paths: a README, a manifest, sources and tests; every other one has a CI workflow. */
function pathsOf(withWorkflow: boolean): string[] {
  const paths = ['README.md', 'package.json'];
  if (withWorkflow) {
    paths.push('.github/workflows/ci.yml');
  }
  for (let i = 0; paths.length < 100; i++) {
    paths.push(
      i % 4 === 0 ? `src/m${i % 9}/f${i}.test.ts` : `src/m${i % 9}/f${i}.ts`,
    );
  }
  return paths;
}

const TREES = [pathsOf(true), pathsOf(false)];

/**
 * A URL reader over in-memory repositories (`svc-<i>` has a workflow when i is even). The trees
 * are made once: the plugin's cost is its filter over every path and its reads of the kept
 * files. The ETag never changes, so an unchanged re-run gets "not modified" for every entity.
 *
 * Like a real reader (and the catalog above, a real client), it answers after a turn of the event
 * loop: without any I/O, a whole run would be one long chain of promise callbacks, and V8 keeps
 * every object held by a `WeakRef` (one per `AbortSignal.timeout` of a read) until that ends.
 *
 * @internal
 */
export function syntheticUrlReader(): UrlReaderService {
  return {
    async readTree(
      url: string,
      options?: { etag?: string; filter?(p: string): boolean },
    ) {
      await setImmediate();
      if (options?.etag === 'stable') {
        const error = new Error('not modified');
        error.name = 'NotModifiedError';
        throw error;
      }
      const n = Number(/svc-(\d+)/.exec(url)![1]);
      const kept = TREES[n % 2].filter(p => options?.filter?.(p) ?? true);
      return {
        etag: 'stable',
        files: async () =>
          kept.map(p => ({
            path: p,
            content: async () =>
              Buffer.from(p.endsWith('ci.yml') ? WORKFLOW : '{}'),
          })),
      };
    },
  } as unknown as UrlReaderService;
}
