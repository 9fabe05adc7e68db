import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { isRootPipeline } from '@paved/plugin-platform-maturity-common';
import { z } from 'zod';
import type { ScorecardStore } from '../database/ScorecardStore';
import type { CatalogEvaluator } from './CatalogEvaluator';
import { repositoryKey } from './RepositoryEvidence';

/**
 * The topics of push events: what Backstage's GitHub events module publishes for GitHub's `push`
 * webhook, once it has checked the webhook's signature.
 */
export const PUSH_EVENT_TOPICS = ['github.push'];

/** Entities scored per batch of a drain: one catalog request, one save. */
const BATCH = 200;
/**
 * GitHub lists at most 20 commits in a push event; a push with that many may hold more, so its
 * changed files are not known.
 */
const LISTED_COMMITS = 20;

/** The parts of GitHub's push event that tell what changed; everything else is ignored. */
const pushEvent = z.object({
  ref: z.string(),
  deleted: z.boolean().optional(),
  repository: z.object({
    html_url: z.string(),
    default_branch: z.string().optional(),
  }),
  commits: z
    .array(
      z.object({
        added: z.array(z.string()).optional(),
        modified: z.array(z.string()).optional(),
        removed: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** What a push changed, as read from its event. */
export interface Push {
  /** `host/owner/name`, lower-case, as the store indexes repositories. */
  repository: string;
  branch: string;
  defaultBranch?: string;
  /** Paths changed by the push's commits; undefined when the event does not list them all. */
  changedPaths?: string[];
}

/**
 * Reads a push event's payload. Returns undefined for what is not a push to a branch that still
 * exists (a tag, a deleted branch) and for a payload without a repository URL.
 */
export function parsePush(payload: unknown): Push | undefined {
  const parsed = pushEvent.safeParse(payload);
  if (
    !parsed.success ||
    parsed.data.deleted ||
    !parsed.data.ref.startsWith('refs/heads/')
  ) {
    return undefined;
  }
  const { ref, repository, commits } = parsed.data;
  let url: URL;
  try {
    url = new URL(repository.html_url);
  } catch {
    return undefined;
  }
  const fullName = url.pathname.replace(/^\/+|\/+$/g, '');
  if (!fullName.includes('/')) {
    return undefined;
  }
  let changedPaths: string[] | undefined;
  if (
    commits &&
    commits.length < LISTED_COMMITS &&
    commits.every(c => c.added && c.modified && c.removed)
  ) {
    changedPaths = [
      ...new Set(
        commits.flatMap(c => [...c.added!, ...c.modified!, ...c.removed!]),
      ),
    ];
  }
  return {
    repository: repositoryKey(url.host, fullName),
    branch: ref.slice('refs/heads/'.length),
    defaultBranch: repository.default_branch,
    changedPaths,
  };
}

/**
 * Scores again, at once, the entities a push changed (see docs/architecture.md, "Push events"):
 * the store's repository index gives the entities whose source location is in the pushed
 * repository and on the pushed branch; in a monorepo, only those whose directory or whose
 * repository's root pipelines the push touched. Work is queued and done in the background, so
 * that the event (and the webhook behind it) is answered at once; pushes that come while a batch
 * is scored are merged into the next.
 */
export class PushRescorer {
  private readonly store: ScorecardStore;
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly evaluator: CatalogEvaluator;
  private readonly logger: LoggerService;
  private readonly signal?: AbortSignal;
  private readonly pending = new Set<string>();
  private draining?: Promise<void>;

  constructor(options: {
    store: ScorecardStore;
    catalog: CatalogService;
    auth: AuthService;
    evaluator: CatalogEvaluator;
    logger: LoggerService;
    /** Stops the work (the backend stopping): what is queued is left to the scheduled runs. */
    signal?: AbortSignal;
  }) {
    this.store = options.store;
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.evaluator = options.evaluator;
    this.logger = options.logger;
    this.signal = options.signal;
  }

  /** The entities of a push event to score again, queued; returns their refs. */
  async onPushEvent(payload: unknown): Promise<string[]> {
    const push = parsePush(payload);
    if (!push) {
      return [];
    }
    const affected = await this.affectedEntities(push);
    if (affected.length === 0) {
      return [];
    }
    this.logger.info(
      `Push to ${push.repository} (${push.branch}): scoring ${affected.length} entities again`,
    );
    // Recorded, so that a run takes them early should this re-scoring not finish.
    await this.store.recordPush(affected, new Date());
    for (const entityRef of affected) {
      this.pending.add(entityRef);
    }
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return affected;
  }

  /** Resolves when the queued work is done (or stopped). */
  async idle(): Promise<void> {
    while (this.draining) {
      await this.draining;
    }
  }

  private async affectedEntities(push: Push): Promise<string[]> {
    const indexed = await this.store.findByRepository(push.repository);
    return indexed
      .filter(entry => {
        // A location without a ref follows the default branch; one pinned to another ref
        // (a tag, a commit) does not change with a push.
        const branch = entry.ref ?? push.defaultBranch;
        if (branch !== undefined && branch !== push.branch) {
          return false;
        }
        if (!entry.path || !push.changedPaths) {
          return true;
        }
        return push.changedPaths.some(
          p =>
            p === entry.path ||
            p.startsWith(`${entry.path}/`) ||
            isRootPipeline(p),
        );
      })
      .map(entry => entry.entityRef);
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0 && !this.signal?.aborted) {
        const batch = [...this.pending].slice(0, BATCH);
        for (const entityRef of batch) {
          this.pending.delete(entityRef);
        }
        const { items } = await this.catalog.getEntitiesByRefs(
          { entityRefs: batch },
          { credentials: await this.auth.getOwnServiceCredentials() },
        );
        const entities = items.filter((e): e is Entity => Boolean(e));
        await this.evaluator.evaluateEntities(entities, {
          signal: this.signal,
        });
      }
    } catch (error) {
      if (!this.signal?.aborted) {
        this.logger.error(
          `Could not score the entities of a push again; the next scheduled run will: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }
}
