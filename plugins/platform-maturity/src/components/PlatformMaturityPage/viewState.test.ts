import {
  DEFAULT_VIEW,
  hasFilters,
  readViewState,
  toListRequest,
  writeViewState,
  type ViewState,
} from './viewState';

describe('view state in the query string', () => {
  it('reads the defaults from an empty query string', () => {
    expect(readViewState(new URLSearchParams())).toEqual(DEFAULT_VIEW);
    expect(writeViewState(DEFAULT_VIEW).toString()).toBe('');
  });

  it('round-trips every filter, the sort, the page size and the rollup dimension', () => {
    const view: ViewState = {
      owner: ['group:default/payments', 'user:default/jdoe'],
      kind: ['component', 'api'],
      lifecycle: ['production'],
      system: ['system:default/checkout'],
      domain: ['domain:default/commerce'],
      level: [1, 3],
      failingCapability: 'as-code',
      q: 'pay, "api"',
      orderBy: 'score',
      order: 'desc',
      limit: 50,
      groupBy: 'domain',
    };
    const params = writeViewState(view);
    expect(params.getAll('owner')).toEqual([
      'group:default/payments',
      'user:default/jdoe',
    ]);
    expect(params.get('capability')).toBe('as-code');
    expect(readViewState(new URLSearchParams(params.toString()))).toEqual(view);
  });

  it('completes hand-written entity refs the way the backend stores them', () => {
    const view = readViewState(
      new URLSearchParams(
        'owner=payments&owner=User:JDoe&owner=group:default/payments&system=Checkout&domain=ops/Commerce&owner=Team:',
      ),
    );
    expect(view.owner).toEqual([
      'group:default/payments',
      'user:default/jdoe',
      'team:',
    ]);
    expect(view.system).toEqual(['system:default/checkout']);
    expect(view.domain).toEqual(['domain:ops/commerce']);
  });

  it('drops what the backend would reject instead of failing', () => {
    const view = readViewState(
      new URLSearchParams(
        'level=2&level=x&level=-1&level=2&capability=security&orderBy=color&order=up&limit=500&groupBy=kind&owner=%20&kind=Component',
      ),
    );
    expect(view).toEqual({
      ...DEFAULT_VIEW,
      level: [2],
      kind: ['component'],
    });
    expect(readViewState(new URLSearchParams('limit=0')).limit).toBe(25);
    expect(readViewState(new URLSearchParams('limit=2.5')).limit).toBe(25);
    expect(readViewState(new URLSearchParams('limit=100')).limit).toBe(100);
    expect(
      readViewState(new URLSearchParams({ q: 'x'.repeat(300) })).q,
    ).toHaveLength(200);
  });
});

describe('toListRequest', () => {
  it('sends only the filters that are set, with the sort and page size', () => {
    expect(toListRequest(DEFAULT_VIEW)).toEqual({
      orderBy: 'entityRef',
      order: 'asc',
      limit: 25,
    });
    expect(
      toListRequest({
        ...DEFAULT_VIEW,
        owner: ['group:default/payments'],
        level: [0],
        failingCapability: 'deploy',
        q: '  pay  ',
      }),
    ).toEqual({
      owner: ['group:default/payments'],
      level: [0],
      failingCapability: 'deploy',
      q: 'pay',
      orderBy: 'entityRef',
      order: 'asc',
      limit: 25,
    });
  });

  it('leaves out a search of blanks', () => {
    expect(toListRequest({ ...DEFAULT_VIEW, q: '   ' }).q).toBeUndefined();
    expect(hasFilters({ ...DEFAULT_VIEW, q: '   ' })).toBe(false);
    expect(hasFilters({ ...DEFAULT_VIEW, domain: ['domain:default/x'] })).toBe(
      true,
    );
  });
});
