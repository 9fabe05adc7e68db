import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EvaluationRun } from '@paved/plugin-platform-maturity-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import { FakePlatformMaturityApi } from './__testUtils__/fakePlatformMaturityApi';
import { UnscoredEntities } from './UnscoredEntities';

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

async function renderWith(latestRun?: EvaluationRun) {
  const api = new FakePlatformMaturityApi([], latestRun);
  await renderInTestApp(
    <TestApiProvider apis={[[platformMaturityApiRef, api]]}>
      <UnscoredEntities />
      <span>rendered</span>
    </TestApiProvider>,
  );
  return api;
}

describe('UnscoredEntities', () => {
  it('shows how many entities could not be scored, and the reasons on demand', async () => {
    await renderWith(
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
    );
    expect(
      await screen.findByText(
        /^3 entities could not be scored in the latest evaluation run/,
      ),
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

  it('shows nothing when the latest run scored every entity, or there is no run', async () => {
    const api = await renderWith(run({ failed: 0 }));
    expect(await screen.findByText('rendered')).toBeInTheDocument();
    expect(api.calls.map(c => c.method)).toEqual(['getLatestRun']);
    expect(screen.queryByText(/could not be scored/)).toBeNull();
  });
});
