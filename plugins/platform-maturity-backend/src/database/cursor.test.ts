import { InputError } from '@backstage/errors';
import { decodeCursor, encodeCursor, ListCursor } from './cursor';

const raw = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

describe('list cursors', () => {
  it.each<ListCursor>([
    {
      orderBy: 'entityRef',
      order: 'asc',
      value: 'component:default/orders',
      entityRef: 'component:default/orders',
    },
    {
      orderBy: 'name',
      order: 'desc',
      value: 'orders',
      entityRef: 'component:default/orders',
    },
    { orderBy: 'score', order: 'asc', value: [2, 66.7, 50], entityRef: 'a' },
    { orderBy: 'score', order: 'desc', value: [-1, -1, -1], entityRef: 'a' },
    { orderBy: 'level', order: 'asc', value: [4, 100, 100], entityRef: 'a' },
  ])('decodes what it encodes (%j)', cursor => {
    expect(
      decodeCursor(encodeCursor(cursor), cursor.orderBy, cursor.order),
    ).toEqual(cursor);
  });

  it('decodes the time of an evaluatedAt cursor to a Date', () => {
    const cursor = encodeCursor({
      orderBy: 'evaluatedAt',
      order: 'asc',
      value: '2026-12-01T10:00:00.123Z',
      entityRef: 'a',
    });
    expect(decodeCursor(cursor, 'evaluatedAt', 'asc').value).toEqual(
      new Date('2026-12-01T10:00:00.123Z'),
    );
  });

  it.each<[string, string, ListCursor['orderBy']]>([
    ['not JSON', raw('{"orderBy":'), 'score'],
    ['garbage', 'not a cursor', 'score'],
    [
      'NUL in the value',
      raw(
        '{"orderBy":"name","order":"asc","value":"a\\u0000","entityRef":"a"}',
      ),
      'name',
    ],
    [
      'NUL in the entity ref',
      raw(
        '{"orderBy":"level","order":"asc","value":[1,50,100],"entityRef":"a\\u0000"}',
      ),
      'level',
    ],
    [
      'an unpaired surrogate',
      raw('{"orderBy":"name","order":"asc","value":"\\ud800","entityRef":"a"}'),
      'name',
    ],
    [
      'a level over 2^31 - 1',
      raw(
        '{"orderBy":"level","order":"asc","value":[2147483648,50,100],"entityRef":"a"}',
      ),
      'level',
    ],
    [
      'a fractional level',
      raw(
        '{"orderBy":"level","order":"asc","value":[1.5,50,100],"entityRef":"a"}',
      ),
      'level',
    ],
    [
      'a score over 100',
      raw(
        '{"orderBy":"score","order":"asc","value":[1,101,100],"entityRef":"a"}',
      ),
      'score',
    ],
    [
      'a score no double holds',
      raw(
        '{"orderBy":"score","order":"asc","value":[1,1e400,100],"entityRef":"a"}',
      ),
      'score',
    ],
    [
      'a string score',
      raw(
        '{"orderBy":"score","order":"asc","value":[1,"1",100],"entityRef":"a"}',
      ),
      'score',
    ],
    [
      'a single score without level and coverage',
      raw('{"orderBy":"score","order":"asc","value":66.7,"entityRef":"a"}'),
      'score',
    ],
    [
      'a coverage over 100',
      raw(
        '{"orderBy":"score","order":"asc","value":[1,50,101],"entityRef":"a"}',
      ),
      'score',
    ],
    [
      'a date before year 1',
      raw(
        '{"orderBy":"evaluatedAt","order":"asc","value":"-100000-01-01T00:00:00.000Z","entityRef":"a"}',
      ),
      'evaluatedAt',
    ],
    [
      'a date after year 9999',
      raw(
        '{"orderBy":"evaluatedAt","order":"asc","value":"+275760-09-13T00:00:00.000Z","entityRef":"a"}',
      ),
      'evaluatedAt',
    ],
    [
      'a date that is not ISO 8601',
      raw(
        '{"orderBy":"evaluatedAt","order":"asc","value":"1","entityRef":"a"}',
      ),
      'evaluatedAt',
    ],
    [
      'a numeric entity ref',
      raw('{"orderBy":"level","order":"asc","value":[1,50,100],"entityRef":7}'),
      'level',
    ],
    [
      'an extra field',
      raw(
        '{"orderBy":"level","order":"asc","value":[1,50,100],"entityRef":"a","offset":5}',
      ),
      'level',
    ],
    [
      'no entity ref',
      raw('{"orderBy":"level","order":"asc","value":[1,50,100]}'),
      'level',
    ],
  ])('refuses %s, naming the parameter', (_, encoded, orderBy) => {
    expect(() => decodeCursor(encoded, orderBy, 'asc')).toThrow(InputError);
    expect(() => decodeCursor(encoded, orderBy, 'asc')).toThrow(
      "Invalid query parameter 'cursor': it is not a cursor of this list",
    );
  });

  it('refuses a cursor made for another order', () => {
    const cursor = encodeCursor({
      orderBy: 'score',
      order: 'asc',
      value: [1, 50, 100],
      entityRef: 'a',
    });
    expect(() => decodeCursor(cursor, 'score', 'desc')).toThrow(
      "Invalid query parameter 'cursor': it was made for a different order",
    );
    expect(() => decodeCursor(cursor, 'level', 'asc')).toThrow(
      'made for a different order',
    );
  });
});
