/** One product in a basket. */
export interface BasketLine {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

/** The most of one product a customer may order at once. */
export const MAX_QUANTITY = 20;

/** Adds a product to the lines, merging with an existing line of the same product. */
export function addLine(lines: BasketLine[], line: BasketLine): BasketLine[] {
  if (!Number.isInteger(line.quantity) || line.quantity < 1) {
    throw new RangeError('quantity must be a whole number of at least 1');
  }
  const existing = lines.find(l => l.productId === line.productId);
  const quantity = (existing?.quantity ?? 0) + line.quantity;
  if (quantity > MAX_QUANTITY) {
    throw new RangeError(`at most ${MAX_QUANTITY} of one product per order`);
  }
  return existing
    ? lines.map(l => (l === existing ? { ...l, quantity } : l))
    : [...lines, line];
}

/** The basket total in minor units. */
export function totalMinor(lines: BasketLine[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
}
