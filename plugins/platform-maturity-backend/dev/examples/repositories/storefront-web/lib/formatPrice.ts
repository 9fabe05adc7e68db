/** Formats an amount in minor units (cents) for display, in the shop's locale. */
export function formatPrice(
  amountMinor: number,
  currency: string,
  locale = 'en-GB',
): string {
  if (!Number.isInteger(amountMinor)) {
    throw new RangeError(
      `amountMinor must be a whole number, got ${amountMinor}`,
    );
  }
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    amountMinor / 100,
  );
}
