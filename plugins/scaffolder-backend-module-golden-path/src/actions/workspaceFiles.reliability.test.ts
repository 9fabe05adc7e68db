import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import {
  ORGANISATION,
  PAVED_REPOSITORY,
  writeFiles,
} from '../__testUtils__/pavedRepository';
import { recordReliability } from '../__testUtils__/reliability';
import { mockActionContext, RunnableAction } from '../__testUtils__/runAction';
import { createBuildAddAction } from './buildAdd';
import { examples as buildExamples } from './buildAdd.examples';
import { createCapacityAddAction } from './capacityAdd';
import { examples as capacityExamples } from './capacityAdd.examples';
import { createCatalogWriteAction } from './catalogWrite';
import { examples as catalogExamples } from './catalogWrite.examples';
import { createDataAddAction } from './dataAdd';
import { examples as dataExamples } from './dataAdd.examples';
import { createDeployAddAction } from './deployAdd';
import { examples as deployExamples } from './deployAdd.examples';
import { createMaturityVerifyAction } from './maturityVerify';
import { createObserveAddAction } from './observeAdd';
import { examples as observeExamples } from './observeAdd.examples';
import { createPublishLocalAction } from './publishLocal';

// A hang shows as this test timeout, never as a timing assertion.
jest.setTimeout(30_000);

const inputOf = (example: { example: string }) =>
  yaml.parse(example.example).steps[0].input as Record<string, unknown>;

type Hostile =
  | 'FIFO'
  | 'socket'
  | 'device'
  | 'huge file'
  | 'binary file'
  | 'link loop';

/** Whether this process may make a device node (root may; others skip that case). */
function canMakeDevices(): boolean {
  const probe = path.join(os.tmpdir(), `paved-mknod-${process.pid}`);
  try {
    execFileSync('mknod', [probe, 'c', '1', '3'], { stdio: 'ignore' });
    fs.rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

describe('hostile files in a workspace', () => {
  const mockDir = createMockDirectory();
  const servers: net.Server[] = [];
  const figures = { tried: 0, failedSafe: 0, failedUnsafe: 0 };
  let fifos: string[] = [];

  const config = () =>
    new ConfigReader({
      goldenPath: { localPublish: { root: mockDir.resolve('published') } },
    });
  const actions: Array<
    [string, () => RunnableAction, Record<string, unknown>]
  > = [
    [
      'paved:catalog:write',
      () => createCatalogWriteAction({ config: config() }),
      inputOf(catalogExamples[0]),
    ],
    [
      'paved:build:add',
      () => createBuildAddAction(),
      inputOf(buildExamples[0]),
    ],
    [
      'paved:deploy:add',
      () => createDeployAddAction(),
      inputOf(deployExamples[0]),
    ],
    [
      'paved:observe:add',
      () => createObserveAddAction(),
      inputOf(observeExamples[0]),
    ],
    ['paved:data:add', () => createDataAddAction(), inputOf(dataExamples[0])],
    [
      'paved:capacity:add',
      () => createCapacityAddAction(),
      inputOf(capacityExamples[0]),
    ],
    [
      'paved:maturity:verify',
      () =>
        createMaturityVerifyAction({
          config: config(),
          catalog: catalogServiceMock({ entities: ORGANISATION }),
        }),
      {},
    ],
    [
      'paved:publish:local',
      () =>
        createPublishLocalAction({
          config: config(),
          catalog: catalogServiceMock({ entities: ORGANISATION }),
        }),
      { repoName: 'orders', register: false },
    ],
  ];

  beforeEach(() => {
    mockDir.clear();
    fifos = [];
  });

  afterEach(async () => {
    // Releases whatever an unsafe run left blocked on a FIFO, so that one hang does not stall
    // the tests after it.
    for (const fifo of fifos) {
      for (const flags of [
        fs.constants.O_RDONLY | fs.constants.O_NONBLOCK,
        fs.constants.O_WRONLY | fs.constants.O_NONBLOCK,
      ]) {
        try {
          fs.closeSync(fs.openSync(fifo, flags));
        } catch {
          // No one on the other side.
        }
      }
    }
    await Promise.all(
      servers.splice(0).map(s => new Promise(resolve => s.close(resolve))),
    );
  });

  afterAll(() => {
    recordReliability({ area: 'workspace files', ...figures });
  });

  /** A paved repository in a workspace of its own, with `file` made hostile. */
  async function hostileWorkspace(name: string, file: string, kind: Hostile) {
    const workspacePath = mockDir.resolve(name);
    const files = { ...PAVED_REPOSITORY };
    delete files[file];
    writeFiles(workspacePath, files);
    const target = path.join(workspacePath, file);
    if (kind === 'FIFO') {
      execFileSync('mkfifo', [target]);
      fifos.push(target);
    } else if (kind === 'socket') {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>(resolve => server.listen(target, resolve));
    } else if (kind === 'device') {
      execFileSync('mknod', [target, 'c', '1', '3']); // as /dev/null
    } else if (kind === 'binary file') {
      fs.writeFileSync(target, Buffer.from([0x7b, 0, 0xff, 0xfe, 0, 0x7d]));
    } else if (kind === 'huge file') {
      fs.closeSync(fs.openSync(target, 'w'));
      fs.truncateSync(target, 4 * 1024 ** 3); // sparse
    } else {
      fs.symlinkSync(file, target);
    }
    return workspacePath;
  }

  /**
   * Runs the action. The outcome is safe when the action failed naming the file, or finished
   * without needing the file; either way the file is left as it was. A hang is the test timeout.
   */
  async function runHostile(
    action: RunnableAction,
    input: Record<string, unknown>,
    workspacePath: string,
    file: string,
  ): Promise<{ error?: Error; safe: boolean }> {
    const { ctx } = mockActionContext({ input: { ...input }, workspacePath });
    const before = fs.lstatSync(path.join(workspacePath, file));
    let error: Error | undefined;
    try {
      await action.handler(ctx);
    } catch (e) {
      error = e as Error;
    }
    const after = fs.lstatSync(path.join(workspacePath, file));
    const safe =
      (error === undefined || error.message.includes(file)) &&
      after.ino === before.ino &&
      after.mode === before.mode &&
      after.size === before.size;
    figures.tried++;
    if (safe) {
      figures.failedSafe++;
    } else {
      figures.failedUnsafe++;
    }
    return { error, safe };
  }

  const hostileFiles = (
    [
      ['Dockerfile', 'FIFO'],
      ['package.json', 'FIFO'],
      ['catalog-info.yaml', 'FIFO'],
      ['Dockerfile', 'socket'],
      ['package.json', 'device'],
      ['catalog-info.yaml', 'huge file'],
      ['package.json', 'link loop'],
      ['package.json', 'binary file'],
      ['catalog-info.yaml', 'binary file'],
    ] as const
  ).filter(([, kind]) => kind !== 'device' || canMakeDevices());

  /**
   * Where an action must fail: a FIFO, socket or device anywhere in a workspace that it scores or
   * copies, and any hostile file that it reads.
   */
  const scoresWorkspace = new Set([
    'paved:build:add',
    'paved:deploy:add',
    'paved:observe:add',
    'paved:data:add',
    'paved:maturity:verify',
    'paved:publish:local',
  ]);
  const reads: Record<string, string[]> = {
    'paved:catalog:write': ['catalog-info.yaml', 'package.json'],
    'paved:maturity:verify': ['catalog-info.yaml'],
    'paved:publish:local': ['catalog-info.yaml'],
  };
  const mustFail = (action: string, file: string, kind: Hostile) =>
    (scoresWorkspace.has(action) &&
      ['FIFO', 'socket', 'device'].includes(kind)) ||
    (reads[action]?.includes(file) &&
      !['link loop', 'binary file'].includes(kind));

  describe.each(actions)('%s', (action, create, input) => {
    it.each(hostileFiles)(
      'does not hang on a %s that is a %s, and fails naming it when it needs it',
      async (file, kind) => {
        const workspacePath = await hostileWorkspace('workspace', file, kind);
        const { error, safe } = await runHostile(
          create(),
          input,
          workspacePath,
          file,
        );
        expect(safe).toBe(true);
        const named = error?.message.includes(file) ?? false;
        expect(named || !mustFail(action, file, kind)).toBe(true);
        const published = fs.existsSync(mockDir.resolve('published/orders'));
        expect(error !== undefined && published).toBe(false);
      },
    );
  });

  it('publishes links inside the workspace as they are, and refuses links out of it', async () => {
    const workspacePath = mockDir.resolve('workspace');
    writeFiles(workspacePath, PAVED_REPOSITORY);
    fs.symlinkSync('package.json', path.join(workspacePath, 'manifest.json'));
    const publish = actions.find(([id]) => id === 'paved:publish:local')!;
    const { ctx } = mockActionContext({ input: publish[2], workspacePath });
    await publish[1]().handler(ctx);
    const published = mockDir.resolve('published/orders');
    expect(fs.readlinkSync(path.join(published, 'manifest.json'))).toBe(
      'package.json',
    );

    fs.rmSync(published, { recursive: true });
    for (const [link, problem] of [
      ['/etc/passwd', 'a symbolic link to an absolute path (/etc/passwd)'],
      ['../..', 'a symbolic link that points outside the workspace (../..)'],
    ]) {
      fs.rmSync(path.join(workspacePath, 'leak'), { force: true });
      fs.symlinkSync(link, path.join(workspacePath, 'leak'));
      const run = mockActionContext({ input: publish[2], workspacePath });
      const error = await publish[1]()
        .handler(run.ctx)
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(error?.message).toContain(
        `Cannot publish the workspace: leak is ${problem}`,
      );
      expect(fs.existsSync(published)).toBe(false);
      figures.tried++;
      if (error?.message.includes('leak') && !fs.existsSync(published)) {
        figures.failedSafe++;
      } else {
        figures.failedUnsafe++;
      }
    }
  });

  it('five FIFOs read at once do not stall the file operations of the rest of the backend', async () => {
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const workspacePath = await hostileWorkspace(
        `workspace-${i}`,
        'package.json',
        'FIFO',
      );
      runs.push(
        runHostile(
          createObserveAddAction(),
          inputOf(observeExamples[0]),
          workspacePath,
          'package.json',
        ),
      );
    }
    const regular = mockDir.resolve('workspace-0/catalog-info.yaml');
    const [outcomes, text] = await Promise.all([
      Promise.all(runs),
      fs.promises.readFile(regular, 'utf8'),
    ]);
    expect(text).toBe(PAVED_REPOSITORY['catalog-info.yaml']);
    for (const { error, safe } of outcomes) {
      expect(safe).toBe(true);
      expect(error?.message).toContain('package.json');
    }
  });
});
