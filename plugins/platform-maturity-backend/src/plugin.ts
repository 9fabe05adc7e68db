import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
  tracingServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { stringifyError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  CheckImplementation,
  platformMaturityPermissions,
} from '@paved/plugin-platform-maturity-common';
import { platformMaturityChecksExtensionPoint } from '@paved/plugin-platform-maturity-node';
import { readBackendConfig } from './config';
import { KnexScorecardStore } from './database/KnexScorecardStore';
import { ScorecardAccess } from './service/access';
import { registerPlatformMaturityActions } from './service/actions';
import { CatalogEvaluator, RunOutcome } from './service/CatalogEvaluator';
import { GithubApiBudget } from './service/GithubApiBudget';
import { PUSH_EVENT_TOPICS, PushRescorer } from './service/PushRescorer';
import { createRunInstrumentation } from './service/instrumentation';
import { RepositoryEvidence } from './service/RepositoryEvidence';
import { createRouter } from './service/router';

const EVALUATE_TASK_ID = 'platform-maturity-evaluate-catalog';
/** How long after start-up the catalog may still be loading its locations. */
const CATALOG_LOADING_WINDOW_MS = 10 * 60 * 1000;
/** How soon a run that found new entities while the catalog loads is followed by another. */
const FOLLOW_UP_DELAY_MS = 15 * 1000;

/**
 * The platform maturity backend plugin: evaluates the catalog on a schedule, stores scorecards and
 * their history, and serves them at `/api/platform-maturity`.
 *
 * @public
 */
export const platformMaturityPlugin = createBackendPlugin({
  pluginId: 'platform-maturity',
  register(env) {
    const extraChecks: CheckImplementation[] = [];
    env.registerExtensionPoint(platformMaturityChecksExtensionPoint, {
      addChecks: (...checks) => extraChecks.push(...checks),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        // Alpha services without a default on the ref; `createBackend()` of
        // @backstage/backend-defaults 0.18 (which backend-plugin-api 1.10 goes with) and
        // `startTestBackend` provide all three.
        actionsRegistry: actionsRegistryServiceRef,
        metrics: metricsServiceRef,
        tracing: tracingServiceRef,
      },
      async init(deps) {
        const settings = readBackendConfig(deps.config, extraChecks);
        deps.permissionsRegistry.addPermissions(platformMaturityPermissions);
        const integrations = ScmIntegrations.fromConfig(deps.config);
        const store = await KnexScorecardStore.create({
          database: deps.database,
        });
        const evaluator = new CatalogEvaluator({
          catalog: deps.catalog,
          auth: deps.auth,
          store,
          logger: deps.logger,
          ruleset: settings.ruleset,
          concurrency: settings.repository.concurrency,
          historyRetentionDays: settings.history.retentionDays,
          passWindowMs: settings.passWindowMs,
          instrumentation: createRunInstrumentation({
            metrics: deps.metrics,
            tracing: deps.tracing,
            store,
            logger: deps.logger,
          }),
          repositories: new RepositoryEvidence({
            urlReader: deps.urlReader,
            logger: deps.logger,
            timeoutMs: settings.repository.timeoutMs,
            maxFileSize: settings.repository.maxFileSize,
            maxFiles: settings.repository.maxFiles,
            allowedLocalRoots: settings.repository.allowedLocalRoots,
            integrations,
            budget: new GithubApiBudget({
              integrations,
              share: settings.repository.budgetShare,
              logger: deps.logger,
              metrics: deps.metrics,
            }),
          }),
        });

        // A run in progress when the backend stops ends before its next page and is recorded as
        // failed, while the database is still open: the scheduler's own signal aborts only when
        // the root services shut down, at the same time as the database connections close.
        const stopping = new AbortController();
        const running = new Set<Promise<unknown>>();
        const track = (work: Promise<unknown>) => {
          const settled = work.catch(() => undefined);
          running.add(settled);
          settled.finally(() => running.delete(settled));
        };
        deps.lifecycle.addShutdownHook(async () => {
          stopping.abort();
          await Promise.all(running);
        });

        // A run left `running` by a process that died holds the scheduler's lock until the task's
        // timeout; the evaluator starts a run as soon as the dead run's heartbeat is stale.
        deps.lifecycle.addStartupHook(() => {
          const recovery = evaluator.recoverInterruptedRun({
            signal: stopping.signal,
          });
          track(recovery);
          recovery.catch(error => {
            if (!stopping.signal.aborted) {
              deps.logger.error(
                `Could not recover from an interrupted platform maturity run: ${stringifyError(
                  error,
                )}`,
              );
            }
          });
        });

        // While the catalog is still loading after start-up (its locations are processed over
        // the first seconds or minutes), a run that found entities it had never scored, or none
        // at all, is followed by another soon, instead of leaving the rest for the schedule.
        const startedAt = Date.now();
        let followUp: NodeJS.Timeout | undefined;
        stopping.signal.addEventListener('abort', () => clearTimeout(followUp));
        const followUpWhileLoading = (outcome: RunOutcome | undefined) => {
          if (
            !outcome ||
            stopping.signal.aborted ||
            Date.now() - startedAt > CATALOG_LOADING_WINDOW_MS ||
            (outcome.firstScored === 0 &&
              outcome.evaluated + outcome.skipped > 0)
          ) {
            return;
          }
          clearTimeout(followUp);
          followUp = setTimeout(() => {
            deps.scheduler.triggerTask(EVALUATE_TASK_ID).catch(error =>
              // Another replica's or the schedule's run is under way: it covers the same.
              deps.logger.debug(
                `Platform maturity follow-up run not started: ${stringifyError(
                  error,
                )}`,
              ),
            );
          }, FOLLOW_UP_DELAY_MS);
          followUp.unref();
        };

        // A push re-scores the entities whose repository it changed, at once (webhooks through
        // Backstage's GitHub events module); the schedule is then the safety net.
        const pushes = new PushRescorer({
          store,
          catalog: deps.catalog,
          auth: deps.auth,
          evaluator,
          logger: deps.logger,
          signal: stopping.signal,
        });
        await deps.events.subscribe({
          id: 'platform-maturity-push',
          topics: PUSH_EVENT_TOPICS,
          onEvent: async ({ eventPayload }) => {
            await pushes.onPushEvent(eventPayload);
            track(pushes.idle());
          },
        });

        // `scope: 'global'` makes replicas sharing a database run each tick once between them.
        await deps.scheduler.scheduleTask({
          id: EVALUATE_TASK_ID,
          ...settings.schedule,
          scope: 'global',
          // The scheduler's signal aborts at the task's timeout.
          fn: async signal => {
            const run = evaluator.runAll({
              signal: AbortSignal.any([signal, stopping.signal]),
            });
            track(run);
            followUpWhileLoading(await run);
          },
        });

        // One instance, so that the routes and the actions share its cache of visible entities.
        const access = new ScorecardAccess({
          permissions: deps.permissions,
          catalog: deps.catalog,
        });
        deps.httpRouter.use(
          createRouter({
            httpAuth: deps.httpAuth,
            access,
            store,
            evaluator,
            ruleset: settings.ruleset,
          }),
        );

        registerPlatformMaturityActions({
          actionsRegistry: deps.actionsRegistry,
          access,
          store,
          ruleset: settings.ruleset,
        });
      },
    });
  },
});
