import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, isError, stringifyError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CatalogLookup,
  entityFactsOf,
  evaluate,
  Ruleset,
  UnscoredEntity,
  withRootPipelines,
} from '@paved/plugin-platform-maturity-common';
import { createHash } from 'node:crypto';
import {
  setImmediate as nextTurn,
  setTimeout as sleep,
} from 'node:timers/promises';
import { z } from 'zod';
import {
  ScorecardStore,
  STORED_TEXT_LENGTH,
  storableFacts,
  StoredScorecard,
} from '../database/ScorecardStore';
import {
  RepositoryEvidence,
  RepositoryLocation,
  RepositoryReadOptions,
  RepositoryReadResult,
  repositoryIndexEntryOf,
  repositoryLocationOf,
} from './RepositoryEvidence';
import {
  createRunInstrumentation,
  RunInstrumentation,
} from './instrumentation';
import { runOrder } from './runOrder';

const PAGE_SIZE = 200;
/** Entities per page of the listing that begins a run, which keeps only their refs. */
const LIST_PAGE_SIZE = 1000;
/**
 * Repository reads a run keeps for entities that share a repository: the most recent ones, so that
 * memory stays flat however large the catalog (a snapshot lists every path of its repository).
 */
const SHARED_READS = 2 * PAGE_SIZE;
/**
 * The ETags of a component's own tree and of its repository's root pipelines, from the ETag that
 * {@link CatalogEvaluator} stored for a component in a sub-directory: a JSON pair. Anything else
 * (an ETag stored before the component was found to be in a sub-directory) gives none, so both
 * trees are read.
 */
function splitEtag(
  etag: string | undefined,
): [string | undefined, string | undefined] {
  if (etag?.startsWith('[')) {
    try {
      const pair: unknown = JSON.parse(etag);
      if (
        Array.isArray(pair) &&
        pair.length === 2 &&
        pair.every(part => typeof part === 'string')
      ) {
        return [pair[0], pair[1]];
      }
    } catch {
      // Not a pair: read both trees.
    }
  }
  return [undefined, undefined];
}

/** Entities marked as seen per store call (one transaction), rather than one call per page. */
const SEEN_BATCH = 2000;
/** Unscored entities a run records with their reason; `failed` counts them all. */
const UNSCORED_RECORDED = 1000;
/** How often a run renews its heartbeat, and after how long without one it counts as dead. */
const DEFAULT_HEARTBEAT = { intervalMs: 10_000, staleAfterMs: 30_000 };
/** Kinds that checks look up: owners (groups, users), systems and data-store resources. */
const LOOKUP_KINDS = ['group', 'user', 'system', 'resource'];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Counts of one evaluation run; `failed` counts the entities that could not be scored. */
export interface RunStats {
  evaluated: number;
  skipped: number;
  failed: number;
  removed: number;
}

/** What a finished run did: its counts, and how many of the evaluated entities were new to it. */
export interface RunOutcome extends RunStats {
  /** Entities scored for the first time (no stored scorecard before the run). */
  firstScored: number;
}

/**
 * What the evaluator needs of an entity before anything else touches it: a catalog provider that
 * skips validation can hand over anything, and one such entity must cost only itself.
 */
const entityShape = z.object({
  kind: z.string().min(1),
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
  }),
  spec: z.record(z.string(), z.unknown()).optional(),
});

/** The entity's ref, after checking that it is an entity whose ref the store can hold. */
function validEntityRef(entity: Entity): string {
  const parsed = entityShape.safeParse(entity);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${issue.path.join('.') || 'the entity'}: ${issue.message}`,
    );
  }
  const entityRef = stringifyEntityRef(entity);
  if (entityRef.length > STORED_TEXT_LENGTH || entityRef.includes('\u0000')) {
    throw new Error(
      `its ref has more than ${STORED_TEXT_LENGTH} characters or a NUL byte`,
    );
  }
  return entityRef;
}

/**
 * Names a malformed entity in the run's record: as much of its ref as it has, and its uid (or,
 * without one, its position in the catalog's answer) so that two such entities are told apart,
 * within the record's {@link STORED_TEXT_LENGTH} characters.
 */
function describeEntity(entity: unknown, position: number): string {
  let ref: string;
  let suffix = ` (#${position} in the catalog's answer)`;
  try {
    const { kind, metadata } = (entity ?? {}) as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown; uid?: unknown };
    };
    const part = (value: unknown, missing: string) =>
      typeof value === 'string' && value
        ? value.toLocaleLowerCase('en-US')
        : missing;
    ref = `${part(kind, '<no kind>')}:${
      metadata?.namespace === undefined
        ? 'default'
        : part(metadata.namespace, '<invalid namespace>')
    }/${part(metadata?.name, '<no name>')}`;
    if (typeof metadata?.uid === 'string') {
      suffix = ` (uid ${metadata.uid.slice(0, 100)})`;
    }
  } catch {
    ref = '<unreadable entity>';
  }
  const room = STORED_TEXT_LENGTH - suffix.length;
  return `${ref.length > room ? `${ref.slice(0, room - 1)}…` : ref}${suffix}`;
}

/** The content hash that decides whether an entity changed since its last evaluation. */
export function entityHashOf(entity: Entity): string {
  const { uid: _uid, etag: _etag, ...metadata } = entity.metadata ?? {};
  return createHash('sha256')
    .update(JSON.stringify({ ...entity, metadata }))
    .digest('hex');
}

/**
 * The commit a tree read names: Git hosts' readers give a tree's commit SHA as its ETag (a monorepo
 * component's ETag is the pair of its own tree's and the root's). Undefined for any other ETag.
 */
function commitOfEtag(etag: string | undefined): string | undefined {
  const own = etag === undefined ? undefined : splitEtag(etag)[0] ?? etag;
  return own && /^[0-9a-f]{40}$/.test(own) ? own : undefined;
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
async function forEachBounded<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from(
    { length: Math.min(concurrency, items.length) },
    async () => {
      while (next < items.length) {
        await task(items[next++]);
      }
    },
  );
  await Promise.all(workers);
}

/**
 * Spreads the paced reads of a pass evenly over what is left of its window when the first of them
 * begins: the k-th may begin k intervals after the first. Without a window, or once it is over,
 * reads go as the API budget lets them.
 */
class Pacer {
  private readonly paced: number;
  private readonly windowEndsAt?: number;
  private first?: number;
  private interval = 0;
  private taken = 0;

  constructor(options: { paced: number; windowEndsAt?: number }) {
    this.paced = options.paced;
    this.windowEndsAt = options.windowEndsAt;
  }

  /** Waits for the next read's turn. */
  async next(signal: AbortSignal): Promise<void> {
    const nowMs = Date.now();
    if (this.first === undefined) {
      this.first = nowMs;
      this.interval =
        this.windowEndsAt === undefined
          ? 0
          : Math.max(0, this.windowEndsAt - nowMs) / Math.max(1, this.paced);
    }
    const at = this.first + this.taken++ * this.interval;
    if (at > nowMs) {
      await sleep(at - nowMs, undefined, { signal });
    }
  }
}

/**
 * Evaluates catalog entities against the ruleset and stores their scorecards: the whole catalog
 * in pages for the scheduled run (skipping entities whose content, repository and ruleset did not
 * change), or one entity on demand.
 */
export class CatalogEvaluator {
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly store: ScorecardStore;
  private readonly repositories: RepositoryEvidence;
  private readonly logger: LoggerService;
  private readonly ruleset: Ruleset;
  private readonly concurrency: number;
  private readonly historyRetentionDays: number;
  private readonly instrumentation: RunInstrumentation;
  private readonly heartbeat: { intervalMs: number; staleAfterMs: number };
  private readonly passWindowMs?: number;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    store: ScorecardStore;
    repositories: RepositoryEvidence;
    logger: LoggerService;
    ruleset: Ruleset;
    concurrency: number;
    historyRetentionDays: number;
    /** Metrics and a span per run; defaults to the OpenTelemetry API. */
    instrumentation?: RunInstrumentation;
    /**
     * How often a run renews its heartbeat (default 10 seconds), and after how long without one a
     * `running` run counts as dead (default 30 seconds).
     */
    heartbeat?: { intervalMs: number; staleAfterMs: number };
    /**
     * The window over which a run spreads the reads of entities it only needs to look at (checked
     * before, not pushed since, on a Git host), from its start; default none: they go as the API
     * budget lets them. Entities never scored or pushed are never paced.
     */
    passWindowMs?: number;
  }) {
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.store = options.store;
    this.repositories = options.repositories;
    this.logger = options.logger;
    this.ruleset = options.ruleset;
    this.concurrency = options.concurrency;
    this.historyRetentionDays = options.historyRetentionDays;
    this.instrumentation =
      options.instrumentation ?? createRunInstrumentation({});
    this.heartbeat = options.heartbeat ?? DEFAULT_HEARTBEAT;
    this.passWindowMs = options.passWindowMs;
  }

  /**
   * Evaluates the whole catalog once and records the run. When `signal` aborts (the scheduler's
   * timeout, or the backend shutting down), the run stops before its next page and is recorded as
   * failed, without removing anything. Returns undefined, doing nothing, when another run is in
   * progress (see the store's `startRun`); a run whose process died is marked failed first.
   */
  async runAll(
    options: { signal?: AbortSignal; now?: () => Date } = {},
  ): Promise<RunOutcome | undefined> {
    const { signal, now = () => new Date() } = options;
    let runId: number;
    try {
      runId = await this.store.startRun({
        startedAt: now(),
        rulesetHash: this.ruleset.rulesetHash,
        staleAfterMs: this.heartbeat.staleAfterMs,
      });
    } catch (error) {
      if (isError(error) && error.name === ConflictError.name) {
        this.logger.info(`Platform maturity run not started: ${error.message}`);
        return undefined;
      }
      throw error;
    }
    return this.instrumentation.measureRun(async (stats, span) => {
      span.setAttribute('platform_maturity.run.id', runId);
      return this.evaluateCatalog(runId, stats, now, signal);
    });
  }

  /**
   * At start-up: when a run is recorded as `running` and its heartbeat stops, its process died (a
   * crash, a SIGKILL), and the scheduler would wait for its lock to time out before the next run.
   * Watches the run until its heartbeat is stale, then starts a run at once, which marks the dead
   * one failed; when several replicas do this, the store lets one of them start. Returns without
   * running when there is no such run, or when its heartbeat moves (its process is alive).
   */
  async recoverInterruptedRun(
    options: { signal?: AbortSignal; now?: () => Date } = {},
  ): Promise<RunOutcome | undefined> {
    const { signal, now = () => new Date() } = options;
    const first = await this.store.getRunningRun();
    if (!first) {
      return undefined;
    }
    for (;;) {
      const running = await this.store.getRunningRun();
      if (
        running?.id !== first.id ||
        running.heartbeatAt !== first.heartbeatAt
      ) {
        return undefined;
      }
      if (
        Date.parse(running.heartbeatAt) <
        now().getTime() - this.heartbeat.staleAfterMs
      ) {
        this.logger.info(
          `Platform maturity run ${running.id} stopped without finishing (no heartbeat since ${running.heartbeatAt}); starting a run now`,
        );
        return this.runAll(options);
      }
      await sleep(this.heartbeat.intervalMs, undefined, { signal });
    }
  }

  /**
   * The body of a run; `stats` is filled in as it goes, so that a failed run is measured too. The
   * run lists the catalog, orders its entities (see {@link runOrder}), then reads and scores them
   * in that order, page by page, pacing the reads of entities that only need a look (see
   * docs/architecture.md, "The order of a run").
   */
  private async evaluateCatalog(
    runId: number,
    stats: RunStats,
    now: () => Date,
    signal: AbortSignal | undefined,
  ): Promise<RunOutcome> {
    let saving: Promise<void> = Promise.resolve();
    const startedAt = now().getTime();
    // The entities the run is to look at, once it has listed the catalog, and those it has
    // evaluated whose page is not saved yet (progress counts them as evaluated).
    let total: number | undefined;
    const unsaved = { evaluated: 0 };
    // Aborts when the heartbeat finds that another process marked this run failed (it found the
    // heartbeat stale): the run must stop writing as its own.
    const claim = new AbortController();
    const beat = async () => {
      try {
        const progress = {
          total,
          evaluated: stats.evaluated + unsaved.evaluated,
          skipped: stats.skipped,
          failed: stats.failed,
          waiting: this.repositories.budgetWait() ?? null,
        };
        if (!(await this.store.heartbeatRun(runId, now(), progress))) {
          claim.abort(
            new ConflictError(
              `Evaluation run ${runId} was marked failed by another process that found its heartbeat stale`,
            ),
          );
        }
      } catch (error) {
        this.logger.warn(
          `Could not renew the heartbeat of platform maturity run ${runId}: ${stringifyError(
            error,
          )}`,
        );
      }
    };
    const heartbeat = setInterval(beat, this.heartbeat.intervalMs);
    heartbeat.unref();
    const stop = signal
      ? AbortSignal.any([signal, claim.signal])
      : claim.signal;
    // Entities found unchanged, and entities that failed, to be marked as seen so that the run
    // does not remove them; only the unchanged ones count as checked.
    const unchanged: string[] = [];
    const seen: string[] = [];
    // Entities that could not be scored, to be recorded with the reason.
    const unscored: UnscoredEntity[] = [];
    let recorded = 0;
    // Entities the run scores for the first time: the catalog grew since the last run.
    const added = { firstScored: 0 };
    const notScored = (entityRef: string, reason: string) => {
      stats.failed++;
      if (recorded + unscored.length < UNSCORED_RECORDED) {
        unscored.push({ entityRef, reason });
      }
      this.logger.warn(`Could not score ${entityRef}: ${reason}`);
    };
    const markSeen = async (all: boolean) => {
      if (unchanged.length >= SEEN_BATCH || (all && unchanged.length > 0)) {
        await this.store.markSeen(unchanged.splice(0), runId, now());
      }
      if (seen.length >= SEEN_BATCH || (all && seen.length > 0)) {
        await this.store.markSeen(seen.splice(0), runId);
      }
      if (unscored.length > 0) {
        recorded += unscored.length;
        await this.store.recordUnscored(runId, unscored.splice(0));
      }
    };

    try {
      const credentials = await this.auth.getOwnServiceCredentials();
      const lookup = await this.loadLookup(credentials);
      // Entities that share a repository read it once, when they come close together in the run.
      const reads = new Map<string, Promise<RepositoryReadResult>>();
      const refs = await this.listCatalog(credentials, stop, beat, notScored);
      const order = runOrder(refs, await this.store.getRunOrderKeys(refs));
      total = order.length + stats.failed;
      await beat();
      const pacer = new Pacer({
        paced: order.filter(entry => entry.paced).length,
        windowEndsAt:
          this.passWindowMs === undefined
            ? undefined
            : startedAt + this.passWindowMs,
      });

      // While a page is being saved, the next one is read and evaluated; pages are saved in order.
      for (let from = 0; from < order.length; from += PAGE_SIZE) {
        stop.throwIfAborted();
        await beat();
        const page = order.slice(from, from + PAGE_SIZE);
        const items = await this.fetchPage(
          page.map(entry => entry.entityRef),
          credentials,
          (entityRef, reason) => {
            seen.push(entityRef);
            notScored(entityRef, reason);
          },
        );
        // An entity deleted or taken out of scope since the listing is left out (and removed).
        const entities: {
          entity: Entity;
          entityRef: string;
          paced: boolean;
        }[] = [];
        items.forEach((entity, i) => {
          if (entity && this.ruleset.isInScope(entity)) {
            entities.push({ entity, ...page[i] });
          }
        });
        const skipKeys = await this.store.getSkipKeys(
          entities.map(e => e.entityRef),
        );
        const evaluated: StoredScorecard[] = [];
        await forEachBounded(entities, this.concurrency, async item => {
          const { entity, entityRef } = item;
          try {
            if (item.paced) {
              await pacer.next(stop);
            }
            const outcome = await this.evaluateEntity(entity, lookup, {
              previous: skipKeys.get(entityRef),
              reads,
              now: now(),
              signal: stop,
            });
            if (outcome === 'skipped') {
              unchanged.push(entityRef);
              stats.skipped++;
            } else {
              evaluated.push(outcome);
              unsaved.evaluated++;
              if (!skipKeys.has(entityRef)) {
                added.firstScored++;
              }
            }
          } catch (error) {
            seen.push(entityRef);
            notScored(
              entityRef,
              `Could not evaluate: ${stringifyError(error)}`,
            );
          }
        });
        await saving;
        saving = this.savePage(evaluated, runId, stats).then(async failed => {
          unsaved.evaluated -= evaluated.length;
          for (const { entityRef, reason } of failed) {
            seen.push(entityRef);
            notScored(entityRef, reason);
          }
          await markSeen(false);
        });
        // Handled here so that a failed save is not an unhandled rejection while the next page is
        // evaluated; awaiting `saving` still throws it.
        saving.catch(() => undefined);
      }
      await saving;
      stop.throwIfAborted();
      await markSeen(true);
      stats.removed = await this.store.removeUnseen(runId);
      await this.store.pruneHistory(
        new Date(now().getTime() - this.historyRetentionDays * DAY_MS),
      );
      await this.finish(runId, {
        ...stats,
        finishedAt: now(),
        status: 'succeeded',
      });
      this.logger.info(
        `Platform maturity run ${runId}: ${stats.evaluated} evaluated, ${stats.skipped} unchanged, ${stats.failed} not scored, ${stats.removed} removed`,
      );
      return { ...stats, ...added };
    } catch (error) {
      // A page still being saved counts in the run's figures, and what the run looked at is
      // marked, so that the next run begins with what this one did not reach.
      await saving.catch(() => undefined);
      // Unless another process took the run over: its marks are the newer run's.
      await (claim.signal.aborted ? Promise.resolve() : markSeen(true)).catch(
        markError =>
          this.logger.warn(
            `Could not mark what platform maturity run ${runId} looked at: ${stringifyError(
              markError,
            )}`,
          ),
      );
      await this.finish(runId, {
        ...stats,
        finishedAt: now(),
        status: 'failed',
        error: stringifyError(error),
      });
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * The entities of a page of the run, by ref (undefined: no longer in the catalog). When the
   * catalog refuses the page (a ref it cannot parse, from a provider that skips its validation),
   * they are asked for one by one, and each one refused is reported to `notScored`.
   */
  private async fetchPage(
    entityRefs: string[],
    credentials: BackstageCredentials,
    notScored: (entityRef: string, reason: string) => void,
  ): Promise<(Entity | null | undefined)[]> {
    try {
      return (
        await this.catalog.getEntitiesByRefs({ entityRefs }, { credentials })
      ).items;
    } catch {
      return Promise.all(
        entityRefs.map(async entityRef => {
          try {
            return (
              await this.catalog.getEntitiesByRefs(
                { entityRefs: [entityRef] },
                { credentials },
              )
            ).items[0];
          } catch (error) {
            notScored(
              entityRef,
              `Could not read it from the catalog: ${stringifyError(error)}`,
            );
            return undefined;
          }
        }),
      );
    }
  }

  /**
   * The refs of the catalog's entities in scope, in the catalog's order; malformed entities are
   * reported to `notScored`, named by their position in the catalog's answer.
   */
  private async listCatalog(
    credentials: BackstageCredentials,
    stop: AbortSignal,
    beat: () => Promise<void>,
    notScored: (entityRef: string, reason: string) => void,
  ): Promise<string[]> {
    const filter = this.ruleset.kinds
      ? { kind: [...this.ruleset.kinds] }
      : undefined;
    const refs: string[] = [];
    let position = 0;
    for await (const page of this.catalog.streamEntities(
      { filter, pageSize: LIST_PAGE_SIZE },
      { credentials },
    )) {
      stop.throwIfAborted();
      await beat();
      // Everything that can throw on a malformed entity happens inside a per-entity guard.
      for (const entity of page) {
        position++;
        try {
          const entityRef = validEntityRef(entity);
          if (this.ruleset.isInScope(entity)) {
            refs.push(entityRef);
          }
        } catch (error) {
          notScored(
            describeEntity(entity, position),
            `Not a valid entity: ${isError(error) ? error.message : error}`,
          );
        }
      }
    }
    return refs;
  }

  /** Records the end of a run, unless another process already marked it failed. */
  private async finish(
    runId: number,
    result: Parameters<ScorecardStore['finishRun']>[1],
  ): Promise<void> {
    if (!(await this.store.finishRun(runId, result))) {
      this.logger.warn(
        `Platform maturity run ${runId} ended (${result.status}) after another process had marked it failed; its record stays failed`,
      );
    }
  }

  /**
   * Saves a page of scorecards in one transaction; when that fails, one by one, so that a single
   * bad row costs only its own entity. Returns the entities that could not be saved, and why.
   */
  private async savePage(
    page: StoredScorecard[],
    runId: number,
    stats: RunStats,
  ): Promise<UnscoredEntity[]> {
    const failed: UnscoredEntity[] = [];
    try {
      await this.store.saveScorecards(page, { runId });
      stats.evaluated += page.length;
      return failed;
    } catch (error) {
      this.logger.warn(
        `Could not save a page of scorecards, saving them one by one: ${stringifyError(
          error,
        )}`,
      );
    }
    for (const stored of page) {
      try {
        await this.store.saveScorecard(stored, { runId });
        stats.evaluated++;
      } catch (error) {
        failed.push({
          entityRef: stored.entity.entityRef,
          reason: `Could not save the scorecard: ${stringifyError(error)}`,
        });
      }
    }
    return failed;
  }

  /** Evaluates one entity now and stores its scorecard. */
  async evaluateOne(
    entity: Entity,
    now = new Date(),
  ): Promise<StoredScorecard> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const lookup = await this.loadLookup(credentials);
    // Someone waits for this one: it never waits for the API budget (see RepositoryReadOptions).
    const stored = (await this.evaluateEntity(entity, lookup, {
      reads: new Map(),
      now,
      interactive: true,
    })) as StoredScorecard;
    await this.store.saveScorecard(stored);
    return stored;
  }

  /**
   * Evaluates entities now, outside a run, and stores their scorecards (the entities a push
   * changed): their repositories are read within the API budget, as a run reads them, each once.
   * An entity that cannot be evaluated is logged and left as it was; out-of-scope entities are
   * left out. Returns the stored scorecards.
   */
  async evaluateEntities(
    entities: Entity[],
    options: { signal?: AbortSignal; now?: () => Date } = {},
  ): Promise<StoredScorecard[]> {
    const { signal, now = () => new Date() } = options;
    const credentials = await this.auth.getOwnServiceCredentials();
    const lookup = await this.loadLookup(credentials);
    const reads = new Map<string, Promise<RepositoryReadResult>>();
    const evaluated: StoredScorecard[] = [];
    await forEachBounded(entities, this.concurrency, async entity => {
      let entityRef = describeEntity(entity, 0);
      try {
        entityRef = validEntityRef(entity);
        if (!this.ruleset.isInScope(entity)) {
          return;
        }
        evaluated.push(
          (await this.evaluateEntity(entity, lookup, {
            reads,
            now: now(),
            signal,
          })) as StoredScorecard,
        );
      } catch (error) {
        if (signal?.aborted) {
          throw error;
        }
        this.logger.warn(
          `Could not score ${entityRef}: ${stringifyError(error)}`,
        );
      }
    });
    if (evaluated.length > 0) {
      await this.store.saveScorecards(evaluated);
    }
    return evaluated;
  }

  private async evaluateEntity(
    entity: Entity,
    lookup: { catalog: CatalogLookup; systems: Map<string, Entity> },
    options: {
      previous?: {
        entityHash: string;
        repositoryEtag?: string;
        rulesetHash: string;
      };
      reads: Map<string, Promise<RepositoryReadResult>>;
      now: Date;
    } & RepositoryReadOptions,
  ): Promise<StoredScorecard | 'skipped'> {
    const { previous, reads, now, signal, interactive } = options;
    const entityHash = entityHashOf(entity);
    const unchanged =
      previous?.entityHash === entityHash &&
      previous.rulesetHash === this.ruleset.rulesetHash;
    const location = repositoryLocationOf(entity);
    let result: RepositoryReadResult = {
      type: 'none',
      reason:
        "The backend cannot read the entity's repository: the entity has no source location. Who can fix it: the entity's owner, by adding the backstage.io/source-location annotation.",
    };
    if (location) {
      // Only an unchanged entity can use the ETag: otherwise the files are needed anyway.
      result = await this.readRepository(
        location,
        unchanged ? previous?.repositoryEtag : undefined,
        reads,
        { signal, interactive },
      );
    }
    if (unchanged && result.type === 'not-modified') {
      return 'skipped';
    }
    if (unchanged && !location) {
      return 'skipped';
    }
    // One entity per turn of the event loop: evaluation is synchronous, and requests and timers
    // wait for nothing longer than one entity's checks (see docs/architecture.md, "Engine").
    await nextTurn();
    const scorecard = evaluate(this.ruleset, {
      entity,
      repository: result.type === 'snapshot' ? result.snapshot : undefined,
      repositoryProblem:
        result.type === 'failed' || result.type === 'none'
          ? result.reason
          : undefined,
      catalog: lookup.catalog,
      now,
    });
    const commit =
      result.type === 'snapshot' ? commitOfEtag(result.etag) : undefined;
    if (commit) {
      scorecard.sourceCommit = commit;
    }
    const { facts, truncated } = storableFacts(
      entityFactsOf(entity, ref => lookup.systems.get(ref)),
    );
    if (truncated.length > 0) {
      scorecard.notices.push({
        type: 'value-truncated',
        message: `Stored shortened to ${STORED_TEXT_LENGTH} characters, so lists, filters and summaries show the shortened value: ${truncated.join(
          ', ',
        )}.`,
      });
    }
    const stored: StoredScorecard = {
      entity: facts,
      scorecard,
      entityHash,
      repositoryEtag: result.type === 'snapshot' ? result.etag : undefined,
      repository: location ? repositoryIndexEntryOf(location) : undefined,
    };
    return stored;
  }

  /**
   * Reads an entity's repository, sharing reads among the entities of one repository. For a
   * location in a sub-directory of a repository (a monorepo) it adds the pipelines at the
   * repository's root, and the ETag it gives holds both trees' ETags.
   */
  private async readRepository(
    location: RepositoryLocation,
    etag: string | undefined,
    reads: Map<string, Promise<RepositoryReadResult>>,
    options: RepositoryReadOptions,
  ): Promise<RepositoryReadResult> {
    const readOwn = (tag?: string) =>
      this.sharedRead(reads, 'tree', location, tag, () =>
        this.repositories.read(location, this.ruleset, tag, options),
      );
    const root = await this.repositories.rootOf(location);
    if (!root) {
      return readOwn(etag);
    }
    const [ownEtag, rootEtag] = splitEtag(etag);
    const readRoot = (tag?: string) =>
      this.sharedRead(reads, 'root-pipelines', root, tag, () =>
        this.repositories.readRootPipelines(root, tag, options),
      );
    let [own, atRoot] = await Promise.all([
      readOwn(ownEtag),
      readRoot(rootEtag),
    ]);
    if (own.type === 'not-modified' && atRoot.type === 'not-modified') {
      return { type: 'not-modified', etag: etag! };
    }
    // One tree changed: the other's files are needed too.
    if (own.type === 'not-modified') {
      own = await readOwn();
    }
    if (atRoot.type === 'not-modified') {
      atRoot = await readRoot();
    }
    if (own.type !== 'snapshot') {
      return own;
    }
    if (atRoot.type !== 'snapshot') {
      // The component's own files still score; only the root's pipelines are missing.
      return own;
    }
    return {
      type: 'snapshot',
      snapshot: withRootPipelines(own.snapshot, atRoot.snapshot),
      etag:
        own.etag !== undefined && atRoot.etag !== undefined
          ? JSON.stringify([own.etag, atRoot.etag])
          : undefined,
    };
  }

  /** A read of the run's recent reads with the same kind, location and ETag, or a new one. */
  private sharedRead(
    reads: Map<string, Promise<RepositoryReadResult>>,
    kind: string,
    location: RepositoryLocation,
    etag: string | undefined,
    start: () => Promise<RepositoryReadResult>,
  ): Promise<RepositoryReadResult> {
    const key = `${kind}:${location.type}:${location.target}:${etag ?? ''}`;
    let read = reads.get(key);
    if (!read) {
      read = start();
      reads.set(key, read);
      if (reads.size > SHARED_READS) {
        // Maps iterate in insertion order: the oldest read goes; whoever awaits it keeps it.
        reads.delete(reads.keys().next().value!);
      }
    }
    return read;
  }

  /** Groups, users and systems, for "the owner exists" and the domain of an entity's system. */
  private async loadLookup(credentials: BackstageCredentials): Promise<{
    catalog: CatalogLookup;
    systems: Map<string, Entity>;
  }> {
    const byRef = new Map<string, Entity>();
    for await (const page of this.catalog.streamEntities(
      {
        filter: { kind: LOOKUP_KINDS },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.domain',
          'spec.type',
        ],
        pageSize: 1000,
      },
      { credentials },
    )) {
      for (const entity of page) {
        byRef.set(stringifyEntityRef(entity), entity);
      }
    }
    const systems = new Map(
      [...byRef].filter(([ref]) => ref.startsWith('system:')),
    );
    return {
      catalog: { getEntity: ref => byRef.get(ref.toLowerCase()) },
      systems,
    };
  }
}
