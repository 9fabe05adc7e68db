import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  CAPABILITIES,
  ChecklistResponse,
  compileRuleset,
  evaluate,
  HistoryEntry,
  Ruleset,
  ScorecardResponse,
  WAIVERS_ANNOTATION,
} from '@paved/plugin-platform-maturity-common';
import type { PlatformMaturityApi } from '../api/PlatformMaturityApi';

/** The backend's default ruleset: the same checks, titles and remediation as in production. */
export const ruleset: Ruleset = compileRuleset({});

export function checklistOf(r: Ruleset = ruleset): ChecklistResponse {
  return {
    capabilities: [...CAPABILITIES],
    checks: r.checks.map(c => c.definition),
    levels: [...r.levels],
    rulesetHash: r.rulesetHash,
  };
}

export const checklist = checklistOf();

/** A service whose dependency-update check is waived in its annotation. */
export const serviceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      [WAIVERS_ANNOTATION]: JSON.stringify([
        {
          check: 'build.dependency-updates',
          reason: 'Moving to Renovate this quarter',
          until: '2099-12-31',
          waivedBy: 'group:default/platform',
        },
      ]),
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-a',
    system: 'shop',
  },
};

/** The same service under another name. */
export function serviceNamed(name: string): Entity {
  return {
    ...serviceEntity,
    metadata: { ...serviceEntity.metadata, name },
  };
}

/** An API entity: no built-in check applies to it. */
export const apiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a' },
};

/**
 * A repository with a pipeline that runs tests and builds an image, but no test files (only a
 * package marker, which is not one): the pipeline and artifact checks pass, the tests check fails.
 */
export const repositoryFiles: Record<string, string> = {
  '.github/workflows/ci.yaml': [
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: npm test',
    '      - run: docker build -t orders .',
    '',
  ].join('\n'),
  Dockerfile: 'FROM node:20\n',
  'package.json': '{"scripts":{"test":"jest"}}',
  'tests/__init__.py': '',
};

export const EVALUATED_AT = '2026-11-25T12:00:00.000Z';

/**
 * A scorecard response computed by the real engine; without `files` the repository could not be
 * read, so the repository checks are `unknown`.
 */
export function scorecardResponse(
  options: {
    entity?: Entity;
    files?: Record<string, string> | null;
    /** The repository was only partly read: `files` are the first of more. */
    truncated?: boolean;
    /** Why the repository could not be read, as the backend says it. */
    repositoryProblem?: string;
  } = {},
): ScorecardResponse {
  const entity = options.entity ?? serviceEntity;
  const files = options.files === undefined ? repositoryFiles : options.files;
  const scorecard = evaluate(ruleset, {
    entity,
    repository: files
      ? {
          paths: Object.keys(files).sort(),
          read: path => files[path],
          truncated: options.truncated,
        }
      : undefined,
    repositoryProblem: options.repositoryProblem,
    now: new Date(EVALUATED_AT),
  });
  return {
    entity: {
      entityRef: scorecard.entityRef,
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    },
    scorecard,
  };
}

export function historyEntry(
  recordedAt: string,
  score: number,
  level: number,
  change: HistoryEntry['change'],
): HistoryEntry {
  return {
    recordedAt,
    score,
    level,
    levelName: ruleset.levels.find(l => l.level === level)?.name ?? null,
    rulesetHash: 'r',
    evidenceDigest: 'e',
    statuses: {},
    change,
  };
}

/** An error as the client throws it for a failed request with Backstage's error body. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: {
          method: 'GET',
          url: '/v1/scorecards/component/default/orders',
        },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 500 ? 'Internal Server Error' : 'Error',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/** An API whose every method fails the test unless the test gives it an implementation. */
export function mockApi(
  implementation: Partial<PlatformMaturityApi> = {},
): jest.Mocked<PlatformMaturityApi> {
  const unexpected = (name: string) => async () => {
    throw new Error(`unexpected call of ${name}`);
  };
  const api: PlatformMaturityApi = {
    getChecklist: async () => checklist,
    getScorecard: unexpected('getScorecard'),
    refreshScorecard: unexpected('refreshScorecard'),
    getHistory: async () => ({
      entityRef: 'component:default/orders',
      entries: [],
    }),
    listScorecards: unexpected('listScorecards'),
    getSummary: unexpected('getSummary'),
    getLatestRun: unexpected('getLatestRun'),
    ...implementation,
  };
  return {
    getChecklist: jest.fn(api.getChecklist),
    getScorecard: jest.fn(api.getScorecard),
    refreshScorecard: jest.fn(api.refreshScorecard),
    getHistory: jest.fn(api.getHistory),
    listScorecards: jest.fn(api.listScorecards),
    getSummary: jest.fn(api.getSummary),
    getLatestRun: jest.fn(api.getLatestRun),
  };
}
