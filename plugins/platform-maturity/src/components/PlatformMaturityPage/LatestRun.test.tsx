import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EvaluationRun } from '@paved/plugin-platform-maturity-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import { FakePlatformMaturityApi } from './__testUtils__/fakePlatformMaturityApi';
import { formatDateTime } from './format';
import { LatestRun } from './LatestRun';

const run = (overrides: Partial<EvaluationRun>): EvaluationRun => ({
  id: 7,
  startedAt: '2026-12-07T05:00:00.000Z',
  finishedAt: '2026-12-07T05:01:00.000Z',
  status: 'succeeded',
  evaluated: 120,
  skipped: 30,
  failed: 0,
  removed: 0,
  rulesetHash: 'r',
  unscored: [],
  ...overrides,
});

const running = (overrides: Partial<EvaluationRun> = {}) =>
  run({
    status: 'running',
    finishedAt: null,
    evaluated: 900,
    skipped: 300,
    failed: 1,
    unscored: [
      {
        entityRef: 'component:default/billing',
        reason: 'Could not evaluate: This operation was aborted',
      },
    ],
    progress: {
      total: 10_000,
      done: 1201,
      perMinute: 35.5,
      estimatedFinishAt: '2026-12-07T09:42:00.000Z',
      waitingForBudget: {
        host: 'github.example.com',
        until: '2026-12-07T06:00:00.000Z',
      },
    },
    ...overrides,
  });

async function renderWith(api: FakePlatformMaturityApi, refreshMs?: number) {
  await renderInTestApp(
    <TestApiProvider apis={[[platformMaturityApiRef, api]]}>
      <LatestRun refreshMs={refreshMs} />
      <span>rendered</span>
    </TestApiProvider>,
  );
}

describe('LatestRun', () => {
  it('shows how far a run in progress has come, its pace, its expected end and its wait for the API budget', async () => {
    await renderWith(new FakePlatformMaturityApi([], running()));
    const alert = await screen.findByRole('alert', {
      name: 'Latest evaluation run',
    });
    expect(alert).toHaveTextContent(
      `Evaluating the catalog since ${formatDateTime(
        '2026-12-07T05:00:00.000Z',
      )}: 1,201 of 10,000 entities (12%), 35.5 per minute, expected to finish around ${formatDateTime(
        '2026-12-07T09:42:00.000Z',
      )}.`,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Evaluation progress' }),
    ).toHaveAttribute('aria-valuenow', '12');
    expect(alert).toHaveTextContent(
      `Waiting for the API budget of github.example.com until ${formatDateTime(
        '2026-12-07T06:00:00.000Z',
      )}`,
    );
    expect(alert).toHaveTextContent('1 entity could not be scored so far');
    await userEvent.click(screen.getByRole('button', { name: 'Show reasons' }));
    expect(
      screen.getByRole('list', { name: 'Entities that could not be scored' }),
    ).toHaveTextContent(
      'component:default/billing: Could not evaluate: This operation was aborted',
    );
  });

  it('reads the run again while it is in progress, and shows its outcome once it has ended', async () => {
    const api = new FakePlatformMaturityApi([], running());
    await renderWith(api, 20);
    expect(
      await screen.findByText(/^Evaluating the catalog since/),
    ).toBeInTheDocument();

    api.latestRun = running({
      progress: {
        total: 10_000,
        done: 5000,
        perMinute: 40,
        estimatedFinishAt: '2026-12-07T09:00:00.000Z',
      },
    });
    expect(
      await screen.findByText(/5,000 of 10,000 entities \(50%\)/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Waiting for the API budget/)).toBeNull();

    api.latestRun = run({
      evaluated: 9000,
      skipped: 999,
      failed: 1,
      removed: 2,
    });
    expect(
      await screen.findByText(
        `The latest evaluation run finished ${formatDateTime(
          '2026-12-07T05:01:00.000Z',
        )}: 9,000 entities evaluated, 999 unchanged, 2 removed.`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    // Once it has ended, it is not read again.
    const reads = api.calls.filter(c => c.method === 'getLatestRun').length;
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(api.calls.filter(c => c.method === 'getLatestRun')).toHaveLength(
      reads,
    );
  });

  it('shows a run in progress that is still listing the catalog', async () => {
    await renderWith(
      new FakePlatformMaturityApi(
        [],
        running({ progress: undefined, failed: 0, unscored: [] }),
      ),
    );
    expect(
      await screen.findByText(
        `Evaluating the catalog since ${formatDateTime(
          '2026-12-07T05:00:00.000Z',
        )}: listing its entities.`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show reasons' })).toBeNull();
  });

  it('shows how many entities the latest run could not score, and the reasons on demand', async () => {
    await renderWith(
      new FakePlatformMaturityApi(
        [],
        run({
          failed: 3,
          unscored: [
            {
              entityRef: 'component:default/billing',
              reason: 'Could not save the scorecard: connection reset',
            },
            {
              entityRef:
                "component:<invalid namespace>/odd (#7 in the catalog's answer)",
              reason: 'Not a valid entity: metadata.namespace: expected string',
            },
          ],
        }),
      ),
    );
    expect(
      await screen.findByText(/^3 entities could not be scored in this run/),
    ).toBeInTheDocument();
    expect(screen.queryByText('component:default/billing')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Show reasons' }));
    const list = screen.getByRole('list', {
      name: 'Entities that could not be scored',
    });
    expect(list).toHaveTextContent(
      'component:default/billing: Could not save the scorecard: connection reset',
    );
    expect(list).toHaveTextContent(
      'Not a valid entity: metadata.namespace: expected string',
    );
    expect(list).toHaveTextContent('and 1 more not listed.');

    await userEvent.click(screen.getByRole('button', { name: 'Hide reasons' }));
    expect(
      screen.queryByRole('list', { name: 'Entities that could not be scored' }),
    ).toBeNull();
  });

  it('says that a run stopped before the end of the catalog, and that the next one resumes', async () => {
    await renderWith(
      new FakePlatformMaturityApi(
        [],
        run({ status: 'failed', evaluated: 40, error: 'The run timed out' }),
      ),
    );
    expect(
      await screen.findByText(
        `The latest evaluation run (started ${formatDateTime(
          '2026-12-07T05:00:00.000Z',
        )}) stopped before the end of the catalog: The run timed out. It had evaluated 40 entities; the next run begins with those it did not reach.`,
      ),
    ).toBeInTheDocument();
  });

  it('shows nothing when there is no run yet', async () => {
    const api = new FakePlatformMaturityApi([]);
    await renderWith(api);
    expect(await screen.findByText('rendered')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.calls.map(c => c.method)).toEqual(['getLatestRun']),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
