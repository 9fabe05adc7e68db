import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakePlatformMaturityApi,
  fakeResponseError,
  fakeScorecards,
} from './__testUtils__/fakePlatformMaturityApi';
import {
  entityRowRefs,
  findEntityTable,
  renderPage,
} from './__testUtils__/testUtils';
import { scorecardsToCsv } from './csv';

const LEVEL_NAMES = ['Unpaved', 'Builds', 'Ships', 'Operable', 'Self-serve'];

// Whole-page renders with tables of 25 rows are slow on a busy CI machine.
// Whole-page renders (recharts, MUI tables) in jsdom take tens of seconds on a loaded 2-core machine.
jest.setTimeout(180_000);
configure({ asyncUtilTimeout: 5_000 });

describe('PlatformMaturityPage', () => {
  describe('catalog overview', () => {
    it('shows the level distribution and the exact completion when one kind is in scope', async () => {
      const components = fakeScorecards(40).filter(s => s.kind === 'component');
      const api = new FakePlatformMaturityApi(components);
      await renderPage(api);

      const inScope = components.filter(s => s.inScope);
      expect(
        await screen.findByText(`${inScope.length} entities in scope`),
      ).toBeInTheDocument();
      expect(api.calls).toContainEqual({
        method: 'getSummary',
        args: ['kind'],
      });

      const levels = screen.getByRole('list', { name: 'Entities per level' });
      LEVEL_NAMES.forEach((name, level) => {
        const count = inScope.filter(s => s.level === level).length;
        const share = Math.round((100 * count) / inScope.length);
        expect(
          within(levels).getByText(`L${level} ${name}: ${count} (${share}%)`),
        ).toBeInTheDocument();
      });

      const completion = screen.getByRole('list', {
        name: 'Completion per capability',
      });
      const applicable = inScope.filter(s => s.capabilities.data !== null);
      const complete = applicable.filter(s => s.capabilities.data === 100);
      const share =
        Math.round((1000 * complete.length) / applicable.length) / 10;
      expect(
        within(completion).getByText(`Data & schema migrations: ${share}%`),
      ).toBeInTheDocument();
      expect(screen.queryByText(/approximate/)).not.toBeInTheDocument();

      // The charts draw one bar per level, shaded from the bottom to the top of the ladder,
      // and one bar per capability.
      const levelChart = screen.getByRole('figure', {
        name: 'Bar chart of the number of entities at each level',
      });
      const levelBars = levelChart.querySelectorAll('path.recharts-rectangle');
      const withEntities = LEVEL_NAMES.filter((_, level) =>
        inScope.some(s => s.level === level),
      );
      expect(levelBars).toHaveLength(withEntities.length);
      const fills = [...levelBars].map(bar => bar.getAttribute('fill'));
      // One sequential scale: one hue, a lightness of its own per level.
      expect(fills.every(fill => /^hsl\(200, /.test(fill ?? ''))).toBe(true);
      expect(new Set(fills).size).toBe(fills.length);
      const completionChart = screen.getByRole('figure', {
        name: 'Bar chart of the completion of each capability',
      });
      expect(
        completionChart.querySelectorAll('path.recharts-rectangle'),
      ).toHaveLength(6);
    });

    it('combines several kinds, weighted by count, and says it is approximate', async () => {
      const api = new FakePlatformMaturityApi();
      await renderPage(api);

      const { groups } = await api.getSummary('kind');
      const count = groups.reduce((sum, g) => sum + g.count, 0);
      const weighted =
        groups.reduce(
          (sum, g) => sum + (g.capabilityCompletion.build ?? 0) * g.count,
          0,
        ) / count;
      expect(
        await screen.findByText(`${count} entities in scope`),
      ).toBeInTheDocument();
      expect(
        screen.getByText(`Build & test: ${Math.round(weighted * 10) / 10}%`),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/Combined from the summaries of 2 kinds/),
      ).toBeInTheDocument();
    });

    it('drills down from a level and from a capability into the entity table', async () => {
      const api = new FakePlatformMaturityApi();
      await renderPage(api, '?kind=api&q=service');
      await findEntityTable();

      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Show the entities at L3 Operable',
        }),
      );
      await waitFor(() =>
        expect(api.lastListRequest).toEqual({
          level: [3],
          orderBy: 'entityRef',
          order: 'asc',
          limit: 25,
        }),
      );
      const table = await findEntityTable();
      const expected = api.scorecards.filter(s => s.level === 3);
      await waitFor(() =>
        expect(entityRowRefs(table)).toEqual(
          expected.map(s => s.entityRef).sort(),
        ),
      );

      await userEvent.click(
        screen.getByRole('button', {
          name: 'Show the entities where Deploy, version & roll back is incomplete',
        }),
      );
      await waitFor(() =>
        expect(api.lastListRequest).toEqual({
          failingCapability: 'deploy',
          orderBy: 'entityRef',
          order: 'asc',
          limit: 25,
        }),
      );
    });
  });

  describe('rollups', () => {
    it('lists the owners, switches to systems and drills down into one', async () => {
      const api = new FakePlatformMaturityApi();
      await renderPage(api);

      const byOwner = await screen.findByRole('table', {
        name: 'Scorecards by owner',
      });
      const payments = within(byOwner)
        .getAllByRole('row')
        .find(row => within(row).queryByText('payments'))!;
      const paymentsScorecards = api.scorecards.filter(
        s => s.inScope && s.owner === 'group:default/payments',
      );
      expect(within(payments).getAllByRole('cell')[1]).toHaveTextContent(
        String(paymentsScorecards.length),
      );
      // Entities without an owner are counted, but cannot be listed on their own.
      const noOwner = within(byOwner).getByText('No owner').closest('tr')!;
      expect(within(noOwner).queryByRole('button')).not.toBeInTheDocument();
      expect(
        screen.getByText(/they cannot be listed on their own/),
      ).toBeInTheDocument();

      await userEvent.click(screen.getByRole('tab', { name: 'System' }));
      const bySystem = await screen.findByRole('table', {
        name: 'Scorecards by system',
      });
      expect(api.calls).toContainEqual({
        method: 'getSummary',
        args: ['system'],
      });
      const checkout = api.scorecards.filter(
        s => s.inScope && s.system === 'system:default/checkout',
      );
      const levels = LEVEL_NAMES.map(
        (name, level) =>
          `L${level} ${name}: ${
            checkout.filter(s => s.level === level).length
          }`,
      ).join(', ');
      expect(within(bySystem).getByRole('img', { name: levels })).toBeVisible();

      await userEvent.click(
        within(bySystem).getByRole('button', {
          name: 'Show the entities of system system:default/checkout',
        }),
      );
      await waitFor(() =>
        expect(api.lastListRequest).toEqual({
          system: ['system:default/checkout'],
          orderBy: 'entityRef',
          order: 'asc',
          limit: 25,
        }),
      );
      const table = await findEntityTable();
      const listed = api.scorecards.filter(
        s => s.system === 'system:default/checkout',
      );
      await waitFor(() =>
        expect(entityRowRefs(table)).toEqual(
          listed.map(s => s.entityRef).sort(),
        ),
      );
      // Focus moves to the table the drill-down filled.
      expect(document.activeElement?.tagName).toBe('SPAN');
      expect(document.activeElement).toHaveTextContent(/^Entities$/);

      // The drill-down filter shows, and removing it lists everything again.
      await userEvent.click(
        screen.getByRole('button', {
          name: 'Remove the filter System: system:default/checkout',
        }),
      );
      await waitFor(() =>
        expect(api.lastListRequest).toEqual({
          orderBy: 'entityRef',
          order: 'asc',
          limit: 25,
        }),
      );
    });

    it('reports how much of each group could be checked beside its mean score', async () => {
      const api = new FakePlatformMaturityApi();
      // The search team's services could be checked only in part.
      for (const item of api.scorecards) {
        if (item.inScope && item.owner === 'group:default/search') {
          item.coverage = {
            share: 40,
            checkedCapabilities: 2,
            applicableCapabilities: 5,
          };
        }
      }
      await renderPage(api);
      const byOwner = await screen.findByRole('table', {
        name: 'Scorecards by owner',
      });
      const headers = within(byOwner)
        .getAllByRole('columnheader')
        .map(h => h.textContent);
      expect(headers.slice(0, 4)).toEqual([
        'Owner',
        'Entities',
        'Mean score',
        'Checked',
      ]);
      const rowOf = (name: string) =>
        within(byOwner)
          .getAllByRole('row')
          .find(row => within(row).queryByText(name))!;
      const search = within(rowOf('search')).getAllByRole('cell');
      expect(search[3]).toHaveTextContent('40%');
      const payments = within(rowOf('payments')).getAllByRole('cell');
      expect(payments[3]).toHaveTextContent('100%');
    });

    it('opens on the dimension of the URL', async () => {
      const api = new FakePlatformMaturityApi();
      await renderPage(api, '?groupBy=domain');
      const byDomain = await screen.findByRole('table', {
        name: 'Scorecards by domain',
      });
      expect(within(byDomain).getByText('No domain')).toBeInTheDocument();
      expect(
        within(byDomain).getByRole('button', {
          name: 'Show the entities of domain domain:default/commerce',
        }),
      ).toBeInTheDocument();
    });
  });

  describe('CSV export', () => {
    let createObjectURL: jest.SpyInstance;
    let click: jest.SpyInstance;

    beforeEach(() => {
      createObjectURL = jest.spyOn(URL, 'createObjectURL');
      click = jest
        .spyOn(HTMLAnchorElement.prototype, 'click')
        .mockImplementation(() => {});
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('fetches every page of the current view and downloads it as CSV', async () => {
      const api = new FakePlatformMaturityApi(fakeScorecards(330));
      await renderPage(api, '?lifecycle=production&orderBy=score&order=desc');
      const table = await findEntityTable();
      await waitFor(() => expect(entityRowRefs(table)).toHaveLength(25));
      const before = api.listRequests.length;

      await userEvent.click(
        screen.getByRole('button', {
          name: /^Export CSV of the 110 entities in this view$/,
        }),
      );
      await waitFor(() => expect(click).toHaveBeenCalledTimes(1));

      const exportRequests = api.listRequests.slice(before);
      expect(
        exportRequests.map(r => [r.limit, r.cursor !== undefined]),
      ).toEqual([
        [100, false],
        [100, true],
      ]);
      expect(exportRequests[0]).toEqual({
        lifecycle: ['production'],
        orderBy: 'score',
        order: 'desc',
        limit: 100,
      });

      const anchor = click.mock.instances[0] as unknown as HTMLAnchorElement;
      expect(anchor.download).toMatch(
        /^platform-maturity-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const blob = createObjectURL.mock.calls[0][0] as Blob;
      expect(blob.type).toBe('text/csv;charset=utf-8');
      const all = await api.listScorecards({
        lifecycle: ['production'],
        orderBy: 'score',
        order: 'desc',
        limit: 100,
      });
      const rest = await api.listScorecards({
        lifecycle: ['production'],
        orderBy: 'score',
        order: 'desc',
        limit: 100,
        cursor: all.nextCursor,
      });
      const expected = scorecardsToCsv(
        [...all.items, ...rest.items],
        ['build', 'deploy', 'observe', 'data', 'capacity', 'as-code'],
      );
      const bytes = new Uint8Array(await blob.arrayBuffer());
      // A UTF-8 byte order mark, so that Excel reads the text as UTF-8.
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(bytes.slice(3))).toBe(expected);
      expect(expected.split('\r\n')).toHaveLength(110 + 2);
    });

    it('shows the backend message when the export fails', async () => {
      const api = new FakePlatformMaturityApi();
      await renderPage(api);
      const table = await findEntityTable();
      await waitFor(() => expect(entityRowRefs(table)).toHaveLength(25));

      api.failures.listScorecards = await fakeResponseError(
        503,
        'Service Unavailable',
        { name: 'ServiceUnavailableError', message: 'The database is busy' },
      );
      await userEvent.click(
        screen.getByRole('button', { name: /^Export CSV of the 57 entities/ }),
      );
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'The export failed: The database is busy',
      );
      expect(click).not.toHaveBeenCalled();
    });
  });

  describe('states', () => {
    it('shows the backend message when the summary fails', async () => {
      const api = new FakePlatformMaturityApi();
      api.failures.getSummary = await fakeResponseError(403, 'Forbidden', {
        name: 'NotAllowedError',
        message:
          'You are not allowed to read platform maturity scorecards (platform-maturity.scorecard.read)',
      });
      await renderPage(api);
      expect(
        await screen.findByText(
          'Error: Could not load the catalog summary: You are not allowed to read platform maturity scorecards (platform-maturity.scorecard.read)',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          'Error: Could not load the rollup by owner: You are not allowed to read platform maturity scorecards (platform-maturity.scorecard.read)',
        ),
      ).toBeInTheDocument();
    });

    it('shows the backend message when the list fails', async () => {
      const api = new FakePlatformMaturityApi();
      api.failures.listScorecards = await fakeResponseError(
        400,
        'Bad Request',
        {
          name: 'InputError',
          message:
            "Invalid query parameter 'capability': must be one of build, deploy",
        },
      );
      await renderPage(api);
      expect(
        await screen.findByText(
          "Error: Could not load the scorecards: Invalid query parameter 'capability': must be one of build, deploy",
        ),
      ).toBeInTheDocument();
    });

    it('shows the checklist error instead of the page when the checklist fails', async () => {
      const api = new FakePlatformMaturityApi();
      api.failures.getChecklist = new Error('Failed to fetch');
      await renderPage(api);
      expect(
        await screen.findByText(
          'Error: Could not load the checklist: Failed to fetch',
        ),
      ).toBeInTheDocument();
      expect(api.listRequests).toHaveLength(0);
    });

    it('explains an empty catalog with the latest evaluation run', async () => {
      const api = new FakePlatformMaturityApi([], {
        id: 3,
        startedAt: '2025-03-01T08:00:00.000Z',
        finishedAt: '2025-03-01T08:00:05.000Z',
        status: 'failed',
        evaluated: 0,
        skipped: 0,
        failed: 0,
        removed: 0,
        rulesetHash: 'fnv1a64:0123456789abcdef',
        error: 'Catalog request failed: 401 Unauthorized',
        unscored: [],
      });
      await renderPage(api);
      expect(await screen.findByText('No scorecards yet')).toBeInTheDocument();
      expect(
        await screen.findByText(
          /failed: Catalog request failed: 401 Unauthorized/,
        ),
      ).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
    });

    it('says when no evaluation has run yet', async () => {
      const api = new FakePlatformMaturityApi([]);
      await renderPage(api);
      expect(
        await screen.findByText(/has not evaluated the catalog yet/),
      ).toBeInTheDocument();
    });
  });
});
