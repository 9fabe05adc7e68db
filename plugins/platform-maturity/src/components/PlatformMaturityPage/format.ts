import type { Theme } from '@material-ui/core/styles';
import { roundScore } from '@paved/plugin-platform-maturity-common';

/** A level as the page shows it: number and name, for example `L2 Ships`. */
export function levelLabel(level: number, name?: string | null): string {
  return name ? `L${level} ${name}` : `L${level}`;
}

/** A score or share of 0–100, rounded by {@link roundScore}; a dash when there is none. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  return String(roundScore(value));
}

/** A share of 0–100 as a percentage; `n/a` when nothing applies. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined
    ? 'n/a'
    : `${formatNumber(value)}%`;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** An ISO 8601 timestamp in the reader's locale and time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/**
 * The colour of a level on one sequential scale: a single hue whose intensity grows with the
 * level (darker up the ladder on a light theme, brighter on a dark one), so that colour order and
 * level order agree and no level reads as a different category. A level is placed by the number
 * of rungs below it, so a level the ladder no longer defines still gets a colour. Every place that
 * shows the colour also shows the level in text.
 */
export function levelColour(
  theme: Theme,
  level: number,
  ladder: ReadonlyArray<{ level: number }>,
): string {
  const steps = Math.max(1, ladder.length - 1);
  const below = ladder.filter(l => l.level < level).length;
  const position = Math.min(below, steps) / steps;
  // Lightness from the bottom rung to the top one.
  const [from, to] = theme.palette.type === 'dark' ? [38, 78] : [80, 26];
  const lightness = Math.round(from + (to - from) * position);
  return `hsl(200, 80%, ${lightness}%)`;
}
