/**
 * Hostile query input through the real plugin, on SQLite and PostgreSQL: every query parameter,
 * path parameter and cursor field answers 200, or 400 naming the parameter, and never 500.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import request from 'supertest';
import { startBackendAfterFirstRun } from '../__testUtils__/backend';
import { recordReliability } from '../__testUtils__/reliability';

jest.setTimeout(600_000);

const API = '/api/platform-maturity';
const ORDERS = ['entityRef', 'name', 'score', 'level', 'evaluatedAt'];
const RUNS = Number(process.env.PAVED_FUZZ_RUNS ?? 200);

/** A cursor as the store encodes it: base64url of its JSON text. */
const cursorOf = (json: string) =>
  Buffer.from(json, 'utf8').toString('base64url');

const cursor = (fields: Record<string, unknown>) =>
  cursorOf(JSON.stringify(fields));

/** Percent-encodes every byte, so that the query parser sees any byte sequence, valid UTF-8 or not. */
const percentEncoded = (bytes: Uint8Array) =>
  [...bytes].map(b => `%${b.toString(16).padStart(2, '0')}`).join('');

/** Strings of every kind: any code point (NUL and lone surrogates included), numbers and dates. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 10 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '%', '_', '\\', "'", ''),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map(d => d.toISOString()),
);

/** Cursor field values: strings, numbers beyond every column's range, dates beyond every database's. */
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
  fc.double(),
  fc.date({ noInvalidDate: true }).map(d => d.toISOString()),
  fc.constantFrom(null, true, [], {}, 2 ** 31, -(2 ** 31) - 1, 1.5, -1),
);

interface Figures {
  tried: number;
  failedSafe: number;
  failedUnsafe: number;
}

describe('query input', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'never answers 500 to hostile query, path or cursor input on %p',
    async databaseId => {
      const backend = await startBackendAfterFirstRun({
        knex: await databases.init(databaseId),
        features: [],
      });
      const figures: Figures = { tried: 0, failedSafe: 0, failedUnsafe: 0 };
      const unsafe: string[] = [];
      const user = mockCredentials.user.header();

      /**
       * Sends one request and classifies the answer: a 400 must name `parameter`; 200 (and the
       * 404 of an unknown entity) is a plain answer. Anything else is unsafe.
       */
      async function probe(
        method: 'get' | 'post',
        path: string,
        parameter: RegExp,
        allowed: number[] = [200],
      ) {
        const res = await request(backend.server)
          [method](`${API}${path}`)
          .set('Authorization', user);
        figures.tried += 1;
        const message: unknown = res.body?.error?.message;
        if (
          res.status === 400 &&
          typeof message === 'string' &&
          parameter.test(message)
        ) {
          figures.failedSafe += 1;
        } else if (!allowed.includes(res.status)) {
          figures.failedUnsafe += 1;
          unsafe.push(`${method} ${path} -> ${res.status} ${res.text}`);
        }
        return res;
      }

      try {
        // The cases found against PostgreSQL, each a 500 before input was checked.
        const known: Array<[string, RegExp]> = [
          ['/v1/scorecards?level=3000000000', /'level'/],
          ['/v1/scorecards?level=2147483648', /'level'/],
          ['/v1/scorecards?q=a%00b', /'q'/],
          ['/v1/scorecards?owner=group:default/a%00', /'owner'/],
          ['/v1/scorecards?kind=comp%00onent', /'kind'/],
          ['/v1/scorecards?lifecycle=%00', /'lifecycle'/],
          ['/v1/scorecards?system=%00', /'system'/],
          ['/v1/scorecards?domain=%00', /'domain'/],
          [
            `/v1/scorecards?orderBy=level&cursor=${cursor({
              orderBy: 'level',
              order: 'asc',
              value: 3_000_000_000,
              entityRef: 'component:default/orders',
            })}`,
            /'cursor'/,
          ],
          [
            `/v1/scorecards?orderBy=level&order=desc&cursor=${cursor({
              orderBy: 'level',
              order: 'desc',
              value: 1.5,
              entityRef: 'component:default/orders',
            })}`,
            /'cursor'/,
          ],
          [
            `/v1/scorecards?orderBy=score&cursor=${cursorOf(
              '{"orderBy":"score","order":"asc","value":1e400,"entityRef":"a"}',
            )}`,
            /'cursor'/,
          ],
          [
            `/v1/scorecards?cursor=${cursor({
              orderBy: 'entityRef',
              order: 'asc',
              value: 'component:default/a\u0000',
              entityRef: 'component:default/a\u0000',
            })}`,
            /'cursor'/,
          ],
          [
            `/v1/scorecards?orderBy=name&cursor=${cursor({
              orderBy: 'name',
              order: 'asc',
              value: 'orders\u0000',
              entityRef: 'component:default/orders',
            })}`,
            /'cursor'/,
          ],
          [
            `/v1/scorecards?orderBy=evaluatedAt&cursor=${cursor({
              orderBy: 'evaluatedAt',
              order: 'asc',
              value: '-100000-01-01T00:00:00.000Z',
              entityRef: 'component:default/orders',
            })}`,
            /'cursor'/,
          ],
          [
            `/v1/scorecards?orderBy=evaluatedAt&cursor=${cursor({
              orderBy: 'evaluatedAt',
              order: 'asc',
              value: '2026-01-01T00:00:00.000Z',
              entityRef: 7,
            })}`,
            /'cursor'/,
          ],
          [
            '/v1/scorecards/component/default/orders/history?since=-100000-01-01T00:00:00Z',
            /'since'/,
          ],
          [
            '/v1/scorecards/component/default/orders/history?since=%2B275760-09-13T00:00:00Z',
            /'since'/,
          ],
          ['/v1/scorecards?limit=99999999999999999999', /'limit'/],
        ];
        const answers = [];
        for (const [path, parameter] of known) {
          const res = await probe('get', path, parameter, []);
          answers.push({
            path,
            status: res.status,
            names: parameter.test(res.body?.error?.message),
          });
        }
        expect(answers).toEqual(
          known.map(([path]) => ({ path, status: 400, names: true })),
        );

        // The longest values accepted are compared with the columns as they are.
        for (const path of [
          `/v1/scorecards?owner=${'a'.repeat(1000)}&lifecycle=${'b'.repeat(
            1000,
          )}`,
          `/v1/scorecards?q=${'%25'.repeat(200)}`,
          `/v1/scorecards?level=${Array.from({ length: 100 }, () => '4').join(
            ',',
          )}`,
          `/v1/scorecards?orderBy=name&cursor=${cursor({
            orderBy: 'name',
            order: 'asc',
            value: 'n'.repeat(700),
            entityRef: '',
          })}`,
          '/v1/scorecards/component/default/orders/history?since=0001-01-01',
          '/v1/scorecards/component/default/orders/history?since=9999-12-31T23:59:59.999%2B14:00',
        ]) {
          const res = await probe('get', path, /^$/);
          expect({ path, status: res.status }).toEqual({ path, status: 200 });
        }

        // A cursor the store made still pages through, on every order.
        for (const orderBy of ORDERS) {
          for (const order of ['asc', 'desc']) {
            const first = await probe(
              'get',
              `/v1/scorecards?limit=1&orderBy=${orderBy}&order=${order}`,
              /^$/,
            );
            expect(first.status).toBe(200);
            const second = await probe(
              'get',
              `/v1/scorecards?limit=1&orderBy=${orderBy}&order=${order}&cursor=${first.body.nextCursor}`,
              /^$/,
            );
            expect(second.status).toBe(200);
            expect(second.body.items).toHaveLength(1);
            expect(second.body.items[0].entityRef).not.toBe(
              first.body.items[0].entityRef,
            );
          }
        }

        const listParameters = [
          'owner',
          'kind',
          'lifecycle',
          'system',
          'domain',
          'level',
          'capability',
          'q',
          'orderBy',
          'order',
          'cursor',
          'limit',
        ];

        // Every list parameter, with any value, as the browser encodes it.
        await fc.assert(
          fc.asyncProperty(
            fc.dictionary(fc.constantFrom(...listParameters), hostileString, {
              maxKeys: 4,
            }),
            async params => {
              const query = new URLSearchParams(params).toString();
              const res = await probe(
                'get',
                `/v1/scorecards?${query}`,
                /Invalid (query parameter|cursor)/,
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );

        // Every list parameter with any byte sequence, valid UTF-8 or not.
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...listParameters),
            fc.uint8Array({ maxLength: 24 }),
            async (parameter, bytes) => {
              const res = await probe(
                'get',
                `/v1/scorecards?${parameter}=${percentEncoded(bytes)}`,
                /Invalid (query parameter|cursor)/,
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );

        // Cursors with every field typed any way, crafted as the store encodes them.
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...ORDERS),
            fc.constantFrom('asc', 'desc'),
            fc.record(
              {
                orderBy: fc.oneof(fc.constantFrom(...ORDERS), hostileValue),
                order: fc.oneof(fc.constantFrom('asc', 'desc'), hostileValue),
                value: hostileValue,
                entityRef: hostileValue,
              },
              { requiredKeys: [] },
            ),
            fc.boolean(),
            async (orderBy, order, fields, matching) => {
              const encoded = cursor(
                matching ? { ...fields, orderBy, order } : fields,
              );
              const res = await probe(
                'get',
                `/v1/scorecards?orderBy=${orderBy}&order=${order}&cursor=${encoded}`,
                /'cursor'/,
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );

        // Cursors that are not JSON, or JSON of numbers no double holds.
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...ORDERS),
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 60 }),
              fc
                .tuple(
                  fc.constantFrom('1e400', '-1e400', '1e-400', '9'.repeat(40)),
                  fc.constantFrom(...ORDERS),
                )
                .map(
                  ([number, orderBy]) =>
                    `{"orderBy":"${orderBy}","order":"asc","value":${number},"entityRef":"a"}`,
                ),
            ),
            async (orderBy, json) => {
              const res = await probe(
                'get',
                `/v1/scorecards?orderBy=${orderBy}&cursor=${cursorOf(json)}`,
                /'cursor'/,
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );

        // History since any date or string; path parameters of any kind.
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              hostileString,
              fc
                .date({ noInvalidDate: true })
                .map(d => d.toISOString().replace('.000Z', 'Z')),
            ),
            async since => {
              const res = await probe(
                'get',
                `/v1/scorecards/component/default/orders/history?${new URLSearchParams(
                  { since },
                )}`,
                /'since'/,
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );

        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('kind', 'namespace', 'name'),
            fc.oneof(
              hostileString
                .filter(s => s !== '')
                .map(s => Buffer.from(s, 'utf8')),
              fc.uint8Array({ minLength: 1, maxLength: 24 }),
            ),
            fc.constantFrom('', '/history', '/refresh'),
            async (part, value, route) => {
              const ref: Record<string, string> = {
                kind: 'component',
                namespace: 'default',
                name: 'orders',
                [part]: percentEncoded(value),
              };
              const res = await probe(
                route === '/refresh' ? 'post' : 'get',
                `/v1/scorecards/${ref.kind}/${ref.namespace}/${ref.name}${route}`,
                // Express answers bytes that are not UTF-8 before the route, naming the value.
                new RegExp(`'${part}'|^Failed to decode param`),
                [200, 404],
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );

        // The summary and the runs route take no other input.
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('/v1/summary', '/v1/runs/latest'),
            fc.dictionary(
              fc.oneof(fc.constant('groupBy'), fc.string({ maxLength: 8 })),
              hostileString,
              { maxKeys: 2 },
            ),
            async (route, params) => {
              const res = await probe(
                'get',
                `${route}?${new URLSearchParams(params)}`,
                /Invalid query parameter/,
              );
              expect(res.status).not.toBeGreaterThanOrEqual(500);
            },
          ),
          { numRuns: RUNS },
        );
      } finally {
        recordReliability({ area: 'query input', ...figures });
        await backend.stop();
      }
      expect(unsafe).toEqual([]);
      expect(figures.failedUnsafe).toBe(0);
    },
  );
});
