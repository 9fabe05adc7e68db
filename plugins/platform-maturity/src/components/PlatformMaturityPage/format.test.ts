import { createTheme } from '@material-ui/core/styles';
import { ruleset } from '../../__testUtils__/fixtures';
import { levelColour } from './format';

function parts(colour: string): { hue: number; lightness: number } {
  const [hue, , lightness] = (colour.match(/[\d.]+/g) ?? []).map(Number);
  return { hue, lightness };
}

describe('levelColour', () => {
  const levels = ruleset.levels.map(l => l.level);

  it('puts the levels on one sequential scale: one hue, darker up the ladder on a light theme', () => {
    const theme = createTheme({ palette: { type: 'light' } });
    const colours = levels.map(l =>
      parts(levelColour(theme, l, ruleset.levels)),
    );
    expect(new Set(colours.map(c => c.hue)).size).toBe(1);
    const lightness = colours.map(c => c.lightness);
    expect([...lightness].sort((a, b) => b - a)).toEqual(lightness);
    expect(new Set(lightness).size).toBe(levels.length);
  });

  it('runs brighter up the ladder on a dark theme', () => {
    const theme = createTheme({ palette: { type: 'dark' } });
    const lightness = levels.map(
      l => parts(levelColour(theme, l, ruleset.levels)).lightness,
    );
    expect([...lightness].sort((a, b) => a - b)).toEqual(lightness);
  });

  it('places a level the ladder no longer defines by the rungs below it', () => {
    const theme = createTheme();
    expect(levelColour(theme, 9, ruleset.levels)).toBe(
      levelColour(theme, 4, ruleset.levels),
    );
  });
});
