import { ChildProcess, spawn } from 'node:child_process';
import knexFactory, { Knex } from 'knex';
import { dropPrefixedDatabases } from './__testUtils__/databases';
import { recordReliability } from './__testUtils__/reliability';

jest.setTimeout(240_000);

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** Components in the test catalog: ten pages of the evaluation. */
const ENTITIES = 2000;
/** The catalog's delay before each page, so that a run lasts about five seconds. */
const PAGE_DELAY_MS = 500;

/** Starts `crashTestBackend.ts` in a child process and resolves once it is up. */
function startBackend(prefix: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      require.resolve('./__testUtils__/crashTestBackend.ts'),
    ],
    {
      env: {
        ...process.env,
        CRASH_TEST_POSTGRES: POSTGRES,
        CRASH_TEST_PREFIX: prefix,
        CRASH_TEST_ENTITIES: String(ENTITIES),
        CRASH_TEST_PAGE_DELAY_MS: String(PAGE_DELAY_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('started\n')) {
        resolve(child);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', code =>
      reject(new Error(`The backend exited with ${code}: ${output}`)),
    );
  });
}

/** Resolves once `child` has exited. */
function exited(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
}

/** Polls `probe` every 100 ms until it returns a value, for at most `seconds`. */
async function waitFor<T>(
  seconds: number,
  probe: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (let i = 0; i < seconds * 10; i++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return undefined;
}

interface RunRow {
  id: number;
  status: string;
  started_at: Date;
  error: string | null;
}

/**
 * A backend on PostgreSQL killed with SIGKILL in the middle of an evaluation run, then started
 * again: the killed run must not stay `running`, the next run must start without waiting for the
 * scheduler's lock to time out (ten minutes here), and no scorecard may be lost or duplicated.
 */
(POSTGRES ? describe : describe.skip)('crash recovery on PostgreSQL', () => {
  const prefix = `paved_crash_${process.pid}_`;
  const children: ChildProcess[] = [];
  let plugin: Knex | undefined;

  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL');
    }
    await Promise.all(children.map(exited));
    await plugin?.destroy();
    await dropPrefixedDatabases(POSTGRES!, prefix);
  });

  it('marks a killed run failed, starts the next at once, and loses or duplicates no scorecard', async () => {
    const first = await startBackend(prefix);
    children.push(first);
    const connection = new URL(POSTGRES!);
    connection.pathname = `/${prefix}platform-maturity`;
    plugin = knexFactory({ client: 'pg', connection: String(connection) });
    const db = plugin;

    // Killed once the run has saved some pages and not all.
    const killed = await waitFor(60, async () => {
      const run: RunRow | undefined = await db('evaluation_runs')
        .where('status', 'running')
        .first()
        .catch(() => undefined);
      if (!run) {
        return undefined;
      }
      const [{ n }] = await db('scorecards').count({ n: '*' });
      return Number(n) >= 400 && Number(n) < ENTITIES ? run : undefined;
    });
    expect(killed).toBeDefined();
    first.kill('SIGKILL');
    await exited(first);
    const killedAt = Date.now();
    const savedBeforeKill = Number(
      (await db('scorecards').count({ n: '*' }))[0].n,
    );

    children.push(await startBackend(prefix));
    const next = await waitFor(120, async () => {
      const run: RunRow | undefined = await db('evaluation_runs')
        .where('id', '>', killed!.id)
        .where('status', 'succeeded')
        .first();
      return run;
    });

    const runs: RunRow[] = await db('evaluation_runs').orderBy('id');
    const count = async (query: Knex.QueryBuilder) =>
      Number((await query)[0].n);
    const scorecards = await count(db('scorecards').count({ n: '*' }));
    const documents = await count(db('scorecard_documents').count({ n: '*' }));
    const history = await count(db('scorecard_history').count({ n: '*' }));
    const historyEntities = await count(
      db('scorecard_history').countDistinct({ n: 'entity_ref' }),
    );
    const problems = {
      killedRunNotFailed:
        runs.find(r => r.id === killed!.id)?.status !== 'failed',
      staleRunningRows: runs.filter(r => r.status === 'running').length,
      // The scheduler's lock would have held the next run back for ten minutes.
      nextRunLate:
        !next || new Date(next.started_at).getTime() - killedAt > 90_000,
      lostScorecards: ENTITIES - Math.min(scorecards, documents),
      duplicatedHistory: history - historyEntities,
    };
    const failedUnsafe = Object.values(problems).filter(
      p => p !== false && p !== 0,
    ).length;
    recordReliability({
      area: 'crash recovery',
      tried: 1,
      failedSafe: failedUnsafe === 0 ? 1 : 0,
      failedUnsafe,
    });

    expect(savedBeforeKill).toBeLessThan(ENTITIES);
    expect(runs.find(r => r.id === killed!.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^The process running it stopped: no heartbeat since /,
      ),
    });
    expect(problems).toEqual({
      killedRunNotFailed: false,
      staleRunningRows: 0,
      nextRunLate: false,
      lostScorecards: 0,
      duplicatedHistory: 0,
    });
    expect(scorecards).toBe(ENTITIES);
    expect(historyEntities).toBe(ENTITIES);
  });
});
