import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import { WorkspaceFiles } from '../lib/workspace';
import { readTree } from './scoreWorkspace';

/** A scaffolder action as the tests run it: anything with a handler. */
export type RunnableAction = { handler(ctx: any): Promise<void> };

/** The context of one test run of an action. */
export interface RunActionOptions {
  /** The workspace; default a fresh directory of its own. */
  workspacePath?: string;
  input: Record<string, unknown>;
  /** Runs the action as the scaffolder's dry run does. */
  isDryRun?: boolean;
}

/** A mock context and the outputs the action sets on it, by name (the last value of each). */
export interface ActionRun {
  /** The context; its `output` and `logger` methods are jest mocks. */
  ctx: ReturnType<typeof createMockActionContext>;
  outputs: Record<string, any>;
}

/**
 * A mock action context whose logger is a mock logger service and whose outputs are collected
 * into `outputs` as the action sets them, so they are there even when the action then throws.
 */
export function mockActionContext(options: RunActionOptions): ActionRun {
  const ctx = createMockActionContext({
    workspacePath: options.workspacePath,
    input: options.input as any,
    logger: mockServices.logger.mock(),
  });
  // Set here because createMockActionContext leaves isDryRun out of the context it returns.
  if (options.isDryRun !== undefined) {
    ctx.isDryRun = options.isDryRun;
  }
  const outputs: Record<string, any> = {};
  (ctx.output as jest.Mock).mockImplementation(
    (name: string, value: unknown) => {
      outputs[name] = value;
    },
  );
  return { ctx, outputs };
}

/** Runs an action's handler with a {@link mockActionContext}. */
export async function runAction(
  action: RunnableAction,
  options: RunActionOptions,
): Promise<ActionRun> {
  const run = mockActionContext(options);
  await action.handler(run.ctx);
  return run;
}

/** The `files` output as path → change, for `toEqual` assertions. */
export function fileChanges(
  files: Array<{ path: string; change: string }>,
): Record<string, string> {
  return Object.fromEntries(files.map(f => [f.path, f.change]));
}

/**
 * A mock directory, emptied before each test, and the workspace files of a service in it, for
 * the tests of the helpers the actions share. Call it in a `describe` block.
 */
export function mockWorkspace() {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());
  return {
    mockDir,
    /** The files of the service at `path` (default the workspace itself). */
    files: (path?: string) =>
      new WorkspaceFiles({
        workspacePath: mockDir.path,
        path,
        logger: mockServices.logger.mock(),
      }),
  };
}

/**
 * The workspace of an action's tests: a mock directory, emptied before each test, with helpers
 * to run the action in it and read what it wrote. Call it in a `describe` block.
 *
 * @param action - the action `run` runs unless given another
 */
export function actionWorkspace(action: RunnableAction) {
  const { mockDir } = mockWorkspace();
  const run = (input: Record<string, unknown>, other = action) =>
    runAction(other, { workspacePath: mockDir.path, input });
  return {
    mockDir,
    run,
    /** A file of the workspace as UTF-8. */
    read: (file: string): string =>
      fs.readFileSync(mockDir.resolve(file), 'utf8'),
    /** Runs the action again and checks that it changes nothing. */
    async expectSecondRunChangesNothing(input: Record<string, unknown>) {
      const before = readTree(mockDir.path);
      const { outputs } = await run(input);
      expect(readTree(mockDir.path)).toEqual(before);
      for (const file of outputs.files) {
        expect(file).toEqual({ path: file.path, change: 'unchanged' });
      }
    },
  };
}
