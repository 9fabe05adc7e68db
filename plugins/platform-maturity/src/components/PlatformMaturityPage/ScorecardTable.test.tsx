import {
  act,
  configure,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakePlatformMaturityApi } from './__testUtils__/fakePlatformMaturityApi';
import {
  entityRowRefs,
  findEntityTable,
  renderPage,
} from './__testUtils__/testUtils';

// Whole-page renders with tables of 25 rows are slow on a busy CI machine.
// Whole-page renders (recharts, MUI tables) in jsdom take tens of seconds on a loaded 2-core machine.
jest.setTimeout(180_000);
configure({ asyncUtilTimeout: 5_000 });

const DEFAULT_SORT = { orderBy: 'entityRef', order: 'asc', limit: 25 };

/** The entity refs of the fake catalog that match, in the list's default order. */
function refs(
  api: FakePlatformMaturityApi,
  matches: (item: FakePlatformMaturityApi['scorecards'][number]) => boolean,
) {
  return api.scorecards
    .filter(matches)
    .map(s => s.entityRef)
    .sort();
}

async function chooseOptions(label: RegExp, options: string[]) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  const listbox = await screen.findByRole('listbox');
  for (const option of options) {
    await userEvent.click(
      within(listbox).getByRole('option', { name: option }),
    );
  }
  await userEvent.keyboard('{Escape}');
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

describe('the entity table of PlatformMaturityPage', () => {
  it('lists the first page with the scorecard columns', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(api);
    const table = await findEntityTable();

    expect(api.listRequests).toEqual([DEFAULT_SORT]);
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(refs(api, () => true).slice(0, 25)),
    );
    expect(screen.getByText('57 entities in this view')).toBeInTheDocument();
    expect(screen.getByText('1-25 of 57')).toBeInTheDocument();

    const item = api.scorecards.find(s => s.name === 'service-01')!;
    const row = within(table)
      .getByRole('link', { name: item.title })
      .closest('tr')!;
    const cells = within(row)
      .getAllByRole('cell')
      .map(c => c.textContent);
    expect(cells).toEqual([
      item.title,
      'search',
      'component',
      'experimental',
      `L${item.level} ${item.levelName}`,
      String(item.score),
      ...['build', 'deploy', 'observe', 'data', 'capacity', 'as-code'].map(
        id => {
          const score = item.capabilities[id as 'build'];
          return score === null ? '—' : String(score);
        },
      ),
      expect.any(String),
    ]);
    expect(within(row).getByRole('link', { name: 'search' })).toHaveAttribute(
      'href',
      '/catalog/default/group/search',
    );
    expect(row.querySelector('time')).toHaveAttribute(
      'datetime',
      item.evaluatedAt,
    );
    expect(
      within(table).getByRole('columnheader', { name: 'Build & test' }),
    ).toBeInTheDocument();
  });

  it('shows a service that could not be checked as such: how much was checked, and unknown apart from not applicable', async () => {
    const api = new FakePlatformMaturityApi();
    const item = api.scorecards.find(s => s.name === 'service-01')!;
    Object.assign(item, {
      score: 100,
      level: 0,
      levelName: 'Unpaved',
      capabilities: {
        build: null,
        deploy: null,
        observe: 100,
        data: null,
        capacity: null,
        'as-code': null,
      },
      capabilityStatuses: {
        build: 'unknown',
        deploy: 'unknown',
        observe: 'complete',
        data: 'not-applicable',
        capacity: 'unknown',
        'as-code': 'unknown',
      },
      coverage: {
        share: 20,
        checkedCapabilities: 1,
        applicableCapabilities: 5,
      },
    });
    await renderPage(api);
    const table = await findEntityTable();
    const row = (
      await within(table).findByRole('link', { name: item.title })
    ).closest('tr')!;
    const cells = within(row).getAllByRole('cell');
    expect(cells[5]).toHaveTextContent(/^100\s*1 of 5 checked$/);
    expect(cells.slice(6, 12).map(c => c.textContent)).toEqual([
      'unknown',
      'unknown',
      '100',
      '—',
      'unknown',
      'unknown',
    ]);
    expect(within(cells[6]).getByTitle('Could not check')).toBeInTheDocument();
  });

  it('sends every filter to the list route and shows what matches', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(api);
    await findEntityTable();

    const owner = screen.getByRole('textbox', { name: 'Owner' });
    await userEvent.type(owner, 'paym');
    await userEvent.click(
      await screen.findByRole('option', { name: 'group:default/payments' }),
    );
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({
        ...DEFAULT_SORT,
        owner: ['group:default/payments'],
      }),
    );
    // An owner typed by hand becomes the full ref the backend stores.
    await userEvent.type(owner, 'Search{Enter}');
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({
        ...DEFAULT_SORT,
        owner: ['group:default/payments', 'group:default/search'],
      }),
    );

    await chooseOptions(/^Kind/, ['component']);
    await chooseOptions(/^Lifecycle/, ['production', 'experimental']);
    await chooseOptions(/^Level/, ['L0 Unpaved', 'L2 Ships']);
    await userEvent.click(
      screen.getByRole('button', { name: /^Failing capability/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Capacity' }),
    );

    const expected = {
      ...DEFAULT_SORT,
      owner: ['group:default/payments', 'group:default/search'],
      kind: ['component'],
      lifecycle: ['production', 'experimental'],
      level: [0, 2],
      failingCapability: 'capacity',
    };
    await waitFor(() => expect(api.lastListRequest).toEqual(expected));

    const table = await findEntityTable();
    const matching = refs(
      api,
      s =>
        ['group:default/payments', 'group:default/search'].includes(s.owner!) &&
        s.kind === 'component' &&
        ['production', 'experimental'].includes(s.lifecycle!) &&
        [0, 2].includes(s.level!) &&
        (s.capabilities.capacity ?? 100) < 100,
    );
    expect(matching.length).toBeGreaterThan(0);
    await waitFor(() => expect(entityRowRefs(table)).toEqual(matching));

    // Clearing every filter lists everything again.
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(api.lastListRequest).toEqual(DEFAULT_SORT));
    expect(screen.getByRole('textbox', { name: 'Owner' })).toHaveValue('');
  });

  it('searches after a pause in typing, in one request', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(api);
    await findEntityTable();
    expect(api.listRequests).toHaveLength(1);

    jest.useFakeTimers();
    try {
      const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
      await user.type(
        screen.getByRole('searchbox', { name: 'Search' }),
        'service 1',
      );
      // No request per keystroke: nothing is sent until typing pauses.
      act(() => {
        jest.advanceTimersByTime(250);
      });
      expect(api.listRequests).toHaveLength(1);
      act(() => {
        jest.advanceTimersByTime(100);
      });
    } finally {
      jest.useRealTimers();
    }
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({ ...DEFAULT_SORT, q: 'service 1' }),
    );
    expect(api.listRequests).toHaveLength(2);

    const table = await findEntityTable();
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(
        refs(api, s => s.title?.toLowerCase().includes('service 1') ?? false),
      ),
    );
  });

  it('sorts on the server from the column headers and the sort controls', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(api);
    await findEntityTable();

    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by score' }),
    );
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({
        ...DEFAULT_SORT,
        orderBy: 'score',
      }),
    );
    expect(screen.getByRole('columnheader', { name: 'Score' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by score' }),
    );
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({
        ...DEFAULT_SORT,
        orderBy: 'score',
        order: 'desc',
      }),
    );
    const table = await findEntityTable();
    // By score means by level, then score, then coverage (see docs/architecture.md).
    const byScore = [...api.scorecards]
      .sort(
        (a, b) =>
          (b.level ?? -1) - (a.level ?? -1) ||
          (b.score ?? -1) - (a.score ?? -1) ||
          (b.coverage?.share ?? -1) - (a.coverage?.share ?? -1) ||
          (a.entityRef < b.entityRef ? 1 : -1),
      )
      .map(s => s.entityRef);
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(byScore.slice(0, 25)),
    );

    await userEvent.click(screen.getByRole('button', { name: /^Order by/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Evaluated at' }),
    );
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({
        ...DEFAULT_SORT,
        orderBy: 'evaluatedAt',
        order: 'desc',
      }),
    );
  });

  it('sorts by owner, and links each entity to its maturity tab', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(api);
    const table = await findEntityTable();

    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by owner' }),
    );
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({
        ...DEFAULT_SORT,
        orderBy: 'owner',
      }),
    );
    const owner = (s: { owner?: string | null }) => s.owner ?? '';
    const byOwner = [...api.scorecards]
      .sort((a, b) => {
        if (owner(a) !== owner(b)) return owner(a) < owner(b) ? -1 : 1;
        return a.entityRef < b.entityRef ? -1 : 1;
      })
      .map(s => s.entityRef);
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(byOwner.slice(0, 25)),
    );
    const first = api.scorecards.find(s => s.entityRef === byOwner[0])!;
    expect(
      within(table).getByRole('link', { name: first.title ?? first.name }),
    ).toHaveAttribute(
      'href',
      `/catalog/default/${first.kind.toLocaleLowerCase('en-US')}/${
        first.name
      }/platform-maturity`,
    );
  });

  describe('on a phone', () => {
    const matchMedia = window.matchMedia;
    beforeEach(() => {
      // Every media query matches: the page is narrower than the `xs` breakpoint.
      window.matchMedia = (query: string) =>
        ({
          matches: true,
          media: query,
          onchange: null,
          addListener: () => {},
          removeListener: () => {},
          addEventListener: () => {},
          removeEventListener: () => {},
          dispatchEvent: () => false,
        } as MediaQueryList);
    });
    afterEach(() => {
      window.matchMedia = matchMedia;
    });

    it('lists the entities and the rollups instead of wide tables', async () => {
      const api = new FakePlatformMaturityApi();
      await renderPage(api);

      const entities = await screen.findByRole('list', {
        name: 'Scorecards of the entities',
      });
      expect(
        screen.queryByRole('table', { name: 'Scorecards of the entities' }),
      ).not.toBeInTheDocument();
      const item = api.scorecards.find(s => s.name === 'service-01')!;
      const entry = entities.querySelector(
        `[data-entity-ref="${item.entityRef}"]`,
      ) as HTMLElement;
      expect(
        within(entry).getByRole('heading', { name: item.title }),
      ).toBeInTheDocument();
      expect(
        within(entry).getByRole('link', { name: item.title }),
      ).toHaveAttribute(
        'href',
        '/catalog/default/component/service-01/platform-maturity',
      );
      expect(entry).toHaveTextContent(
        `L${item.level} ${item.levelName} · Score ${item.score}`,
      );
      expect(entry).toHaveTextContent('Owner: search');

      const rollups = await screen.findByRole('list', {
        name: 'Scorecards by owner',
      });
      expect(within(rollups).getAllByRole('heading').length).toBeGreaterThan(0);
      expect(rollups).toHaveTextContent(/\d+ entities, mean score \d+/);
    });
  });

  it('pages forward and back with cursors, and changes the page size', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(api);
    const table = await findEntityTable();
    const all = refs(api, () => true);
    await waitFor(() => expect(entityRowRefs(table)).toEqual(all.slice(0, 25)));

    const next = screen.getByRole('button', { name: 'Next page' });
    const previous = screen.getByRole('button', { name: 'Previous page' });
    expect(previous).toBeDisabled();

    await userEvent.click(next);
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(all.slice(25, 50)),
    );
    const secondPage = api.lastListRequest!;
    expect(secondPage).toEqual({ ...DEFAULT_SORT, cursor: expect.any(String) });
    expect(screen.getByText('26-50 of 57')).toBeInTheDocument();

    await userEvent.click(next);
    await waitFor(() => expect(entityRowRefs(table)).toEqual(all.slice(50)));
    const thirdPage = api.lastListRequest!;
    expect(thirdPage.cursor).not.toEqual(secondPage.cursor);
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    // Back: the cursor of the page before, kept on a stack.
    await userEvent.click(previous);
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(all.slice(25, 50)),
    );
    expect(api.lastListRequest).toEqual(secondPage);

    await userEvent.click(previous);
    await waitFor(() => expect(entityRowRefs(table)).toEqual(all.slice(0, 25)));
    expect(api.lastListRequest).toEqual(DEFAULT_SORT);

    // A new page size starts again from the first page.
    await userEvent.click(next);
    await waitFor(() =>
      expect(entityRowRefs(table)).toEqual(all.slice(25, 50)),
    );
    await userEvent.click(
      screen.getByRole('button', { name: /^Rows per page/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: '10' }));
    await waitFor(() =>
      expect(api.lastListRequest).toEqual({ ...DEFAULT_SORT, limit: 10 }),
    );
    await waitFor(() => expect(entityRowRefs(table)).toEqual(all.slice(0, 10)));
    expect(screen.getByText('1-10 of 57')).toBeInTheDocument();
  });

  it('reads the view from the URL, so shared links and drill-downs open filtered', async () => {
    const api = new FakePlatformMaturityApi();
    await renderPage(
      api,
      '?owner=group:default/search&level=1&level=3&capability=observe&q=service&orderBy=level&order=desc&limit=10&system=system:default/ledger',
    );
    await findEntityTable();

    expect(api.listRequests[0]).toEqual({
      owner: ['group:default/search'],
      system: ['system:default/ledger'],
      level: [1, 3],
      failingCapability: 'observe',
      q: 'service',
      orderBy: 'level',
      order: 'desc',
      limit: 10,
    });
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue(
      'service',
    );
    expect(screen.getByRole('button', { name: /^Level/ })).toHaveTextContent(
      'L1 Builds, L3 Operable',
    );
    expect(
      screen.getByRole('button', { name: /^Failing capability/ }),
    ).toHaveTextContent('Instrument, monitor & debug');
    expect(
      screen.getByRole('button', {
        name: 'Remove the filter System: system:default/ledger',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('group:default/search')).toBeInTheDocument();
  });
});
