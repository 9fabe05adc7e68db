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
 * The colour of a level, from the theme's palette so that it works in light and dark themes:
 * the bottom of the ladder has the error colour, the top the success colour, warning and info in
 * between. A level is placed by the number of rungs below it, so a level the ladder no longer
 * defines still gets a colour; a ladder of more than five rungs shares colours between neighbours.
 */
export function levelColour(
  theme: Theme,
  level: number,
  ladder: Array<{ level: number }>,
): string {
  const scale = [
    theme.palette.error.main,
    theme.palette.warning.main,
    theme.palette.info.main,
    theme.palette.success.light,
    theme.palette.success.main,
  ];
  if (ladder.length <= 1) {
    return scale[scale.length - 1];
  }
  const below = ladder.filter(l => l.level < level).length;
  const index = Math.min(below, ladder.length - 1);
  return scale[Math.round((index * (scale.length - 1)) / (ladder.length - 1))];
}
