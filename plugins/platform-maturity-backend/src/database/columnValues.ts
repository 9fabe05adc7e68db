import { z } from 'zod';

/**
 * The values the store's columns hold on both databases, as zod schemas, so that input is checked
 * before it becomes a bind parameter: PostgreSQL rejects a NUL character in text, an integer over
 * 2^31 - 1 for an `integer` column and a date before 4713 BC, and answers every such query with an
 * error where SQLite answers rows. See "Input before SQL" in docs/architecture.md.
 */

/**
 * The largest value of an `integer` column on both databases (PostgreSQL's is 32-bit).
 *
 * @internal
 */
export const MAX_INTEGER = 2_147_483_647;

/** The earliest and the latest instant accepted in a date: four-digit years, which both store. */
const MIN_TIMESTAMP = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_TIMESTAMP = Date.parse('9999-12-31T23:59:59.999Z');

/** Half of a surrogate pair, which is no character (PostgreSQL's text types also refuse NUL). */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * Text of at most `max` characters that both databases store as it is.
 *
 * @internal
 */
export function columnText(max: number) {
  return z
    .string({ error: 'must be a string' })
    .max(max, `must be at most ${max} characters`)
    .refine(
      value => !value.includes('\0') && !UNPAIRED_SURROGATE.test(value),
      'must not contain NUL characters or unpaired surrogates',
    );
}

/**
 * An ISO 8601 date (`2026-12-01`) or date-time with `Z` or an offset (`2026-12-01T10:00:00Z`), as
 * a `Date` that both databases store.
 *
 * @internal
 */
export const columnTimestamp = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO 8601 date or date-time with a time zone',
  })
  .transform(value => new Date(value))
  .refine(
    date => date.getTime() >= MIN_TIMESTAMP && date.getTime() <= MAX_TIMESTAMP,
    'must be between 0001-01-01 and 9999-12-31',
  );
