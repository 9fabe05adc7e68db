import fs from 'node:fs';
import path from 'node:path';
import { CAPABILITY_IDS } from '../capabilities';
import { BUILTIN_CHECKS } from '.';

describe('the built-in check catalogue', () => {
  it('covers every capability with well-formed checks', () => {
    expect(BUILTIN_CHECKS.length).toBeGreaterThanOrEqual(17);
    expect(new Set(BUILTIN_CHECKS.map(c => c.capability))).toEqual(
      new Set(CAPABILITY_IDS),
    );
    for (const check of BUILTIN_CHECKS) {
      expect(check.id).toMatch(new RegExp(`^${check.capability}\\.[a-z-]+$`));
      expect(check.title.length).toBeGreaterThan(0);
      expect(check.description.length).toBeGreaterThan(40);
    }
    expect(new Set(BUILTIN_CHECKS.map(c => c.id)).size).toBe(
      BUILTIN_CHECKS.length,
    );
  });

  it('has a section in docs/checks.md for every check, which the docs links point to', () => {
    // Markdown escapes such as `\*` are dropped: prettier adds them to prose.
    const docs = fs
      .readFileSync(
        path.resolve(__dirname, '../../../../docs/checks.md'),
        'utf8',
      )
      .replace(/\\([*_[\]])/g, '$1');
    for (const check of BUILTIN_CHECKS) {
      expect(docs).toContain(`### ${check.id}\n\n**${check.title}**`);
      expect(docs).toContain(check.description);
    }
  });
});
