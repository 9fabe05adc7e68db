import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
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
    expect(build.querySelectorAll('[data-check-id]')).toHaveLength(4);
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
    // Full detail: the check's description and docs link even when it passes.
    const pipeline = build.querySelector(
      '[data-check-id="build.pipeline"]',
    ) as HTMLElement;
    expect(pipeline).toHaveTextContent(
      'A continuous integration pipeline is defined in the repository',
    );
    expect(
      within(pipeline).getByRole('link', { name: /^How to meet/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/paved-dev/paved/blob/main/docs/checks.md#buildpipeline',
    );
    const tests = build.querySelector(
      '[data-check-id="build.tests"]',
    ) as HTMLElement;
    expect(within(tests).getByRole('link', { name: /^Fix:/ })).toHaveAttribute(
      'href',
      `/create/templates/default/add-capabilities?formData=${encodeURIComponent(
        JSON.stringify({
          capabilities: ['build'],
          entity: 'component:default/orders',
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
      within(chart).getAllByRole('img', { name: /Ruleset changed$/ }),
    ).toHaveLength(1);
    expect(
      within(chart).getAllByRole('img', { name: /Service changed$/ }),
    ).toHaveLength(2);
    expect(
      within(chart).getByRole('img', {
        name: /score 60, level 2 Ships\. Service and ruleset changed$/,
      }),
    ).toBeInTheDocument();

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
