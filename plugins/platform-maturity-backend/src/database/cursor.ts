import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { columnText, columnTimestamp, MAX_INTEGER } from './columnValues';
import type { ScorecardOrderBy } from './ScorecardStore';

/**
 * Where a page of the scorecard list ends: the sort it was made for, the last item's sort value
 * and its entity ref (the tie-breaker).
 *
 * @internal
 */
export interface ListCursor {
  orderBy: ScorecardOrderBy;
  order: 'asc' | 'desc';
  /** One sort value, or the level, score and coverage of the `level` and `score` orders. */
  value: string | number | number[];
  entityRef: string;
}

/**
 * A cursor as it arrives: the value of an `evaluatedAt` cursor is a `Date` after decoding.
 *
 * @internal
 */
export interface DecodedListCursor extends Omit<ListCursor, 'value'> {
  value: string | number | number[] | Date;
}

/** Long enough for any entity ref the catalog accepts (three parts of at most 253 characters). */
const MAX_REF_LENGTH = 1000;

/** Level, score and coverage, as the columns hold them (`-1` stands for none). */
const LEVEL_SCORE_COVERAGE = z.tuple([
  z.number().int().min(-1).max(MAX_INTEGER),
  z.number().min(-1).max(100),
  z.number().min(-1).max(100),
]);

/** The sort value of each order, as the columns hold it. */
const VALUES: Record<
  ScorecardOrderBy,
  z.ZodType<string | number | number[] | Date>
> = {
  entityRef: columnText(MAX_REF_LENGTH),
  name: columnText(MAX_REF_LENGTH),
  owner: columnText(MAX_REF_LENGTH),
  score: LEVEL_SCORE_COVERAGE,
  level: LEVEL_SCORE_COVERAGE,
  evaluatedAt: columnTimestamp,
};

/**
 * The opaque form of a cursor: base64url of its JSON.
 *
 * @internal
 */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * The cursor, checked field by field before any of it is bound to SQL. The cursor names its order
 * so that it is never applied to a list sorted another way.
 *
 * @internal
 */
export function decodeCursor(
  encoded: string,
  orderBy: ScorecardOrderBy,
  order: 'asc' | 'desc',
): DecodedListCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const made = z
    .object({ orderBy: z.unknown(), order: z.unknown() })
    .safeParse(json);
  if (
    made.success &&
    (made.data.orderBy !== orderBy || made.data.order !== order)
  ) {
    throw new InputError(
      `Invalid query parameter 'cursor': it was made for a different order than orderBy '${orderBy}' and order '${order}'; start again without a cursor`,
    );
  }
  const parsed = z
    .strictObject({
      orderBy: z.literal(orderBy),
      order: z.literal(order),
      value: VALUES[orderBy],
      entityRef: columnText(MAX_REF_LENGTH),
    })
    .safeParse(json);
  if (!parsed.success) {
    throw new InputError(
      "Invalid query parameter 'cursor': it is not a cursor of this list; start again without a cursor",
    );
  }
  return parsed.data;
}
