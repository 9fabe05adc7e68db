import { formatRelativeTime } from './time';

describe('formatRelativeTime', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('says how long ago a time was in the largest fitting unit', () => {
    expect(formatRelativeTime('2026-11-25T11:59:30Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-11-25T11:55:00Z', now)).toBe(
      '5 minutes ago',
    );
    expect(formatRelativeTime('2026-11-25T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelativeTime('2026-11-24T12:00:00Z', now)).toBe('yesterday');
    expect(formatRelativeTime('2026-11-11T12:00:00Z', now)).toBe('2 weeks ago');
    expect(formatRelativeTime('2025-11-25T12:00:00Z', now)).toBe('last year');
  });
});
