import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import goldenPathModule from '../index';
import { ORGANISATION } from './pavedRepository';

/**
 * Starts a backend with the real scaffolder plugin, this module and an in-memory catalog.
 */
export async function startScaffolder(
  options: {
    entities?: Entity[];
    config?: NonNullable<
      Parameters<typeof mockServices.rootConfig.factory>[0]
    >['data'];
    features?: BackendFeature[];
  } = {},
) {
  return startTestBackend({
    features: [
      scaffolderPlugin,
      goldenPathModule,
      catalogServiceMock.factory({
        entities: options.entities ?? ORGANISATION,
      }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      ...(options.features ?? []),
    ],
  });
}

/** A file of the dry-run request: a template and its skeleton, as the template editor uploads them. */
export type DirectoryContent = { path: string; base64Content: string };

/** Every file under a directory, for the dry run's directoryContents. */
export function directoryContents(dir: string): DirectoryContent[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => {
      const file = path.join(e.parentPath, e.name);
      return {
        path: path.relative(dir, file).split(path.sep).join('/'),
        base64Content: fs.readFileSync(file).toString('base64'),
      };
    });
}

/** The result of a dry run, as the scaffolder answers it. */
export interface DryRunResult {
  status: number;
  /** The log lines, each with its step id. */
  log: Array<{ body: { message: string; stepId?: string; status?: string } }>;
  output: Record<string, any>;
  steps: Array<{ id: string; action: string }>;
  /** The workspace after the run: path → content. */
  files: Record<string, string>;
  body: any;
}

/** Runs a template through `POST /api/scaffolder/v2/dry-run` as a signed-in user. */
export async function dryRun(
  server: Parameters<typeof request>[0],
  template: unknown,
  values: Record<string, unknown>,
  contents: DirectoryContent[] = [],
): Promise<DryRunResult> {
  const res = await request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header())
    .send({ template, values, directoryContents: contents });
  const files: Record<string, string> = {};
  for (const file of res.body.directoryContents ?? []) {
    files[file.path] = Buffer.from(file.base64Content, 'base64').toString(
      'utf8',
    );
  }
  return {
    status: res.status,
    log: res.body.log ?? [],
    output: res.body.output ?? {},
    steps: res.body.steps ?? [],
    files,
    body: res.body,
  };
}

/** The log messages of one step. */
export function stepLog(result: DryRunResult, stepId: string): string[] {
  return result.log
    .filter(l => l.body.stepId === stepId)
    .map(l => l.body.message);
}
