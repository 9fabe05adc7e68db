import { formatPrice } from '../formatPrice';

describe('formatPrice', () => {
  it('formats minor units in the currency', () => {
    expect(formatPrice(129900, 'GBP')).toBe('£1,299.00');
    expect(formatPrice(5, 'EUR', 'de-DE')).toBe('0,05 €');
  });

  it('rejects fractional minor units', () => {
    expect(() => formatPrice(10.5, 'GBP')).toThrow(RangeError);
  });
});
