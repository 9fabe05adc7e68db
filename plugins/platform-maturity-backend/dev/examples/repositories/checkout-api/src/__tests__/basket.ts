import { addLine, MAX_QUANTITY, totalMinor } from '../basket';

describe('basket', () => {
  it('merges lines of the same product and totals them', () => {
    let lines = addLine([], {
      productId: 'p1',
      quantity: 1,
      unitPriceMinor: 1250,
    });
    lines = addLine(lines, {
      productId: 'p2',
      quantity: 2,
      unitPriceMinor: 499,
    });
    lines = addLine(lines, {
      productId: 'p1',
      quantity: 2,
      unitPriceMinor: 1250,
    });
    expect(lines).toHaveLength(2);
    expect(totalMinor(lines)).toBe(3 * 1250 + 2 * 499);
  });

  it('refuses more than the maximum of one product', () => {
    expect(() =>
      addLine([], {
        productId: 'p1',
        quantity: MAX_QUANTITY + 1,
        unitPriceMinor: 1,
      }),
    ).toThrow(RangeError);
  });
});
