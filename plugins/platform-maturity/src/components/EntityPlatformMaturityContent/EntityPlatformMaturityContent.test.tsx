import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  apiEntity,
  historyEntry,
  mockApi,
  responseError,
  scorecardResponse,
  serviceEntity,
} from '../../__testUtils__/fixtures';
import {
  PlatformMaturityApi,
  platformMaturityApiRef,
} from '../../api/PlatformMaturityApi';
import { EntityPlatformMaturityContent } from './EntityPlatformMaturityContent';

async function renderContent(api: PlatformMaturityApi, entity?: Entity) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [platformMaturityApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <EntityProvider entity={entity ?? serviceEntity}>
        <EntityPlatformMaturityContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const history = [
  historyEntry('2026-09-01T08:00:00.000Z', 20, 0, 'first'),
  historyEntry('2026-09-15T08:00:00.000Z', 45, 1, 'evidence'),
  historyEntry('2026-10-01T08:00:00.000Z', 35, 0, 'ruleset'),
  historyEntry('2026-10-20T08:00:00.000Z', 60, 2, 'both'),
  historyEntry('2026-11-25T12:00:00.000Z', 72.5, 2, 'evidence'),
];

describe('EntityPlatformMaturityContent', () => {
  it('shows every check grouped by capability, with full detail', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderContent(api);

    const build = await screen.findByRole('list', {
      name: 'Checks of Build & test',
    });
    // What needs work first; the passed checks folded under one line.
    expect(
      [...build.querySelectorAll('[data-check-id]')].map(c =>
        c.getAttribute('data-check-id'),
      ),
    ).toEqual(['build.tests', 'build.dependency-updates']);
    const passed = screen.getByRole('list', {
      name: 'Checks of Build & test: 2 passed',
    });
    expect(passed.closest('details')).not.toHaveAttribute('open');
    expect(
      within(passed.closest('details')!).getByText('2 passed'),
    ).toBeInTheDocument();
    for (const capability of [
      'Deploy, version & roll back',
      'Instrument, monitor & debug',
      'Data & schema migrations',
      'Capacity',
      'Everything as code',
    ]) {
      expect(
        screen.getByRole('list', { name: `Checks of ${capability}` }),
      ).toBeInTheDocument();
    }
    // Full detail: the check's description even when it passes, but no docs to read.
    const pipeline = passed.querySelector(
      '[data-check-id="build.pipeline"]',
    ) as HTMLElement;
    expect(pipeline).toHaveTextContent(
      'A continuous integration pipeline is defined in the repository',
    );
    expect(
      within(pipeline).queryByRole('link', { name: /^How to meet/ }),
    ).not.toBeInTheDocument();
    const tests = build.querySelector(
      '[data-check-id="build.tests"]',
    ) as HTMLElement;
    expect(within(tests).getByRole('link', { name: /^Fix:/ })).toHaveAttribute(
      'href',
      `/create/templates/default/add-capabilities?formData=${encodeURIComponent(
        JSON.stringify({
          entity: 'component:default/orders',
          capabilities: ['build'],
        }),
      )}`,
    );
  });

  it('charts score and level over time, marking ruleset changes apart from service changes', async () => {
    const api = mockApi({
      getScorecard: async () => scorecardResponse(),
      getHistory: async () => ({
        entityRef: 'component:default/orders',
        entries: history,
      }),
    });
    await renderContent(api);

    const chart = await screen.findByRole('figure', {
      name: 'Score and level history',
    });
    const points = await within(chart).findAllByRole('img', {
      name: /: score \d+/,
    });
    expect(points).toHaveLength(5);
    expect(points.map(p => p.getAttribute('data-change'))).toEqual([
      'first',
      'evidence',
      'ruleset',
      'both',
      'evidence',
    ]);
    expect(
      within(chart).getAllByRole('img', { name: /Ruleset changed: / }),
    ).toHaveLength(1);
    expect(
      within(chart).getAllByRole('img', { name: /Service changed: / }),
    ).toHaveLength(2);
    expect(
      within(chart).getByRole('img', {
        name: /score 60, level 2 Ships\. Service and ruleset changed: /,
      }),
    ).toBeInTheDocument();
    // Every point can be reached with the keyboard.
    for (const point of points) {
      expect(point).toHaveAttribute('tabindex', '0');
    }

    // A ruleset point is drawn with another shape than a service point.
    const shape = (change: string) =>
      points.find(p => p.getAttribute('data-change') === change)!
        .firstElementChild!.tagName;
    expect(shape('evidence')).toBe('circle');
    expect(shape('ruleset')).toBe('path');
    expect(shape('both')).toBe('rect');

    const legend = within(chart).getByRole('list', { name: 'Legend' });
    expect(legend).toHaveTextContent('Score (left axis)');
    expect(legend).toHaveTextContent('Level (right axis)');
    expect(legend).toHaveTextContent('Service changed');
    expect(legend).toHaveTextContent('Ruleset changed');
    expect(legend).toHaveTextContent('Service and ruleset changed');
    expect(api.getHistory).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders',
    });
  });

  it('lists the history points newest first with date, time and the checks that changed', async () => {
    const withStatuses = (
      entry: ReturnType<typeof historyEntry>,
      statuses: Record<string, 'pass' | 'fail' | 'unknown'>,
    ) => ({ ...entry, statuses });
    const api = mockApi({
      getScorecard: async () => scorecardResponse(),
      getHistory: async () => ({
        entityRef: 'component:default/orders',
        entries: [
          withStatuses(
            historyEntry('2026-09-01T08:00:00.000Z', 20, 0, 'first'),
            { 'build.pipeline': 'fail', 'build.tests': 'fail' },
          ),
          withStatuses(
            historyEntry('2026-09-15T14:30:00.000Z', 45, 1, 'evidence'),
            { 'build.pipeline': 'pass', 'build.tests': 'fail' },
          ),
          withStatuses(
            historyEntry('2026-09-16T09:05:00.000Z', 45, 1, 'evidence'),
            { 'build.pipeline': 'pass', 'build.tests': 'fail' },
          ),
        ],
      }),
    });
    await renderContent(api);

    const list = await screen.findByRole('list', {
      name: 'History points, newest first',
    });
    const items = within(list).getAllByRole('listitem');
    const time = (iso: string) =>
      new Date(iso).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      });
    expect(items.map(i => i.textContent)).toEqual([
      `${time(
        '2026-09-16T09:05:00.000Z',
      )}: score 45, level 1 Builds. Service changed: no check changed status`,
      `${time(
        '2026-09-15T14:30:00.000Z',
      )}: score 45, level 1 Builds. Service changed: CI pipeline as code: Failing → Passed`,
      `${time(
        '2026-09-01T08:00:00.000Z',
      )}: score 20, level 0 Unpaved. First evaluation`,
    ]);
    // The chart's points say the same to screen readers and keyboard users.
    expect(
      screen.getByRole('img', {
        name: /CI pipeline as code: Failing → Passed$/,
      }),
    ).toHaveAttribute('tabindex', '0');
  });

  it('reloads the history after a re-evaluation', async () => {
    const first = scorecardResponse({ files: null });
    const second = scorecardResponse();
    second.scorecard.evaluatedAt = '2026-11-26T09:00:00.000Z';
    const api = mockApi({
      getScorecard: async () => first,
      refreshScorecard: async () => second,
      getHistory: async () => ({
        entityRef: 'component:default/orders',
        entries: history,
      }),
    });
    await renderContent(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate now' }),
    );
    await waitFor(() => expect(api.getHistory).toHaveBeenCalledTimes(2));
  });

  it('says when there is no history yet', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderContent(api);
    expect(await screen.findByText('No history yet.')).toBeInTheDocument();
  });

  it('shows why the history could not be loaded', async () => {
    const error = await responseError(500, 'Error', 'history table is locked');
    const api = mockApi({
      getScorecard: async () => scorecardResponse(),
      getHistory: async () => {
        throw error;
      },
    });
    await renderContent(api);
    expect(
      await screen.findByText(
        'Could not load the history: history table is locked',
      ),
    ).toBeInTheDocument();
  });

  it('lists the scorecard notices', async () => {
    const response = scorecardResponse({
      entity: {
        ...serviceEntity,
        metadata: {
          ...serviceEntity.metadata,
          annotations: { 'paved.dev/waivers': 'not json' },
        },
      },
    });
    const api = mockApi({ getScorecard: async () => response });
    await renderContent(api);
    expect(
      await screen.findByRole('list', { name: 'Notices' }),
    ).toHaveTextContent('the annotation is not valid JSON');
  });

  it('says once why the repository could not be read and who can fix it, with how much was checked', async () => {
    const problem =
      'The backend cannot read https://git.example.com/acme/orders: there is no integration (and so no credentials) for git.example.com. Who can fix it: your Backstage admins, by configuring an integration for git.example.com.';
    const response = scorecardResponse({
      files: null,
      repositoryProblem: problem,
    });
    const api = mockApi({ getScorecard: async () => response });
    await renderContent(api);
    expect(await screen.findAllByText(problem)).toHaveLength(1);
    expect(screen.getByText('0 of 6 capabilities checked')).toBeInTheDocument();
    // Build & test passed what could be read: how much was checked, not a full bar.
    expect(
      screen.queryByRole('progressbar', { name: 'Build & test score' }),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText(/^\d+(\.\d)?% checked$/).length).toBeGreaterThan(
      0,
    );
  });

  it('says when the repository was only partly read', async () => {
    const response = scorecardResponse({
      files: { 'src/index.ts': 'export {};', 'src/main.ts': '' },
      truncated: true,
    });
    const api = mockApi({ getScorecard: async () => response });
    await renderContent(api);
    expect(
      await screen.findByText(
        /The repository was only partly read: the first 2 of more files/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the out-of-scope and not-evaluated states', async () => {
    const api = mockApi({ getScorecard: async () => undefined });
    const { unmount } = await renderContent(api, apiEntity);
    expect(await screen.findByText('Out of scope')).toBeInTheDocument();
    unmount();

    await renderContent(api);
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Evaluate now' }),
    ).toBeInTheDocument();
  });
});
