/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { PlatformMaturityClient } from './PlatformMaturityClient';

interface Recorded {
  method: string;
  url: string;
  authorization?: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The error body of Backstage's error handler. */
function backendError(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  name: string,
  message: string,
) {
  json(res, status, {
    error: { name, message },
    request: { method: req.method, url: req.url },
    response: { statusCode: status },
  });
}

describe('PlatformMaturityClient', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  const requests: Recorded[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
      });
      handler(req, res);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}/api/platform-maturity`;
  });

  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()));
  });

  beforeEach(() => {
    requests.length = 0;
    handler = (_req, res) => json(res, 200, { ok: true });
  });

  function client() {
    return new PlatformMaturityClient({
      discoveryApi: {
        getBaseUrl: async (pluginId: string) =>
          pluginId === 'platform-maturity'
            ? baseUrl
            : `http://127.0.0.1:1/api/${pluginId}`,
      },
      fetchApi: {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { authorization: 'Bearer user-token' },
          }),
      },
    });
  }

  const ref = { kind: 'Component', namespace: 'default', name: 'orders' };

  it('reads the checklist through the discovered base URL with the fetch API', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        capabilities: [],
        checks: [],
        levels: [],
        rulesetHash: 'abc',
      });
    await expect(client().getChecklist()).resolves.toEqual({
      capabilities: [],
      checks: [],
      levels: [],
      rulesetHash: 'abc',
    });
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/platform-maturity/v1/checklist',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('reads a scorecard, encoding each part of the entity ref', async () => {
    handler = (_req, res) =>
      json(res, 200, { entity: { entityRef: 'x' }, scorecard: { score: 50 } });
    const response = await client().getScorecard({
      kind: 'Component',
      namespace: 'team a',
      name: 'orders/v2',
    });
    expect(response).toEqual({
      entity: { entityRef: 'x' },
      scorecard: { score: 50 },
    });
    expect(requests[0].url).toBe(
      '/api/platform-maturity/v1/scorecards/Component/team%20a/orders%2Fv2',
    );
  });

  it('answers undefined when the entity has no scorecard (404)', async () => {
    handler = (req, res) =>
      backendError(res, req, 404, 'NotFoundError', 'No scorecard yet');
    await expect(client().getScorecard(ref)).resolves.toBeUndefined();
  });

  it('rejects other failures with a ResponseError carrying the backend message', async () => {
    handler = (req, res) =>
      backendError(res, req, 500, 'Error', 'database is unavailable');
    const error = await client()
      .getScorecard(ref)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(500);
    expect(error.cause.message).toBe('database is unavailable');
  });

  it('re-evaluates with a POST and surfaces a denial with its message', async () => {
    handler = (_req, res) =>
      json(res, 200, { entity: {}, scorecard: { score: 80 } });
    await expect(client().refreshScorecard(ref)).resolves.toEqual({
      entity: {},
      scorecard: { score: 80 },
    });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/platform-maturity/v1/scorecards/Component/default/orders/refresh',
    });

    handler = (req, res) =>
      backendError(res, req, 403, 'NotAllowedError', 'Not allowed to refresh');
    const error = await client()
      .refreshScorecard(ref)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause).toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed to refresh',
    });
  });

  it('a 404 of the refresh route is an error, not undefined', async () => {
    handler = (req, res) =>
      backendError(res, req, 404, 'NotFoundError', 'Entity not found');
    const error = await client()
      .refreshScorecard(ref)
      .catch(e => e);
    expect(error.cause.message).toBe('Entity not found');
  });

  it('reads the history, with an optional since', async () => {
    handler = (_req, res) => json(res, 200, { entityRef: 'r', entries: [] });
    await client().getHistory(ref);
    await client().getHistory(ref, {
      since: new Date('2025-01-02T03:04:05.000Z'),
    });
    expect(requests.map(r => r.url)).toEqual([
      '/api/platform-maturity/v1/scorecards/Component/default/orders/history',
      '/api/platform-maturity/v1/scorecards/Component/default/orders/history?since=2025-01-02T03%3A04%3A05.000Z',
    ]);
  });

  it('lists scorecards with comma-separated lists and the failing capability', async () => {
    handler = (_req, res) => json(res, 200, { items: [], totalCount: 0 });
    await client().listScorecards({
      owner: ['group:default/a', 'group:default/b'],
      kind: ['Component'],
      lifecycle: ['production'],
      system: ['system:default/shop'],
      domain: ['domain:default/retail'],
      level: [0, 2],
      failingCapability: 'observe',
      q: 'ord',
      orderBy: 'score',
      order: 'desc',
      cursor: 'abc==',
      limit: 50,
    });
    const url = new URL(requests[0].url, 'http://x');
    expect(url.pathname).toBe('/api/platform-maturity/v1/scorecards');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      owner: 'group:default/a,group:default/b',
      kind: 'Component',
      lifecycle: 'production',
      system: 'system:default/shop',
      domain: 'domain:default/retail',
      level: '0,2',
      capability: 'observe',
      q: 'ord',
      orderBy: 'score',
      order: 'desc',
      cursor: 'abc==',
      limit: '50',
    });
  });

  it('leaves out empty filters', async () => {
    handler = (_req, res) => json(res, 200, { items: [], totalCount: 0 });
    await client().listScorecards({ owner: [], q: '' });
    expect(requests[0].url).toBe('/api/platform-maturity/v1/scorecards');
  });

  it('surfaces a rejected query with the message naming the parameter', async () => {
    handler = (req, res) =>
      backendError(
        res,
        req,
        400,
        'InputError',
        "Invalid query parameter 'limit': must be a whole number from 1 to 100",
      );
    const error = await client()
      .listScorecards({ limit: 500 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      "Invalid query parameter 'limit': must be a whole number from 1 to 100",
    );
  });

  it('reads the summary grouped by a dimension', async () => {
    handler = (_req, res) => json(res, 200, { groupBy: 'system', groups: [] });
    await expect(client().getSummary('system')).resolves.toEqual({
      groupBy: 'system',
      groups: [],
    });
    expect(requests[0].url).toBe(
      '/api/platform-maturity/v1/summary?groupBy=system',
    );
  });

  it('reads the latest run, undefined before the first run', async () => {
    handler = (_req, res) => json(res, 200, { id: 3, status: 'succeeded' });
    await expect(client().getLatestRun()).resolves.toEqual({
      id: 3,
      status: 'succeeded',
    });
    handler = (req, res) =>
      backendError(res, req, 404, 'NotFoundError', 'No evaluation run yet');
    await expect(client().getLatestRun()).resolves.toBeUndefined();
    expect(requests.map(r => r.url)).toEqual([
      '/api/platform-maturity/v1/runs/latest',
      '/api/platform-maturity/v1/runs/latest',
    ]);
  });

  it('keeps a non-JSON failure readable', async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream connect error');
    };
    const error = await client()
      .getChecklist()
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.cause.message).toContain('upstream connect error');
  });
});
