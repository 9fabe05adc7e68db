import { Pool } from 'pg';
import type { BasketLine } from './basket';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function loadLines(basketId: string): Promise<BasketLine[]> {
  const { rows } = await pool.query(
    'SELECT product_id, quantity, unit_price_minor FROM basket_lines WHERE basket_id = $1',
    [basketId],
  );
  return rows.map(r => ({
    productId: r.product_id,
    quantity: r.quantity,
    unitPriceMinor: r.unit_price_minor,
  }));
}

export async function saveLines(basketId: string, lines: BasketLine[]) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM basket_lines WHERE basket_id = $1', [
      basketId,
    ]);
    for (const line of lines) {
      await client.query(
        'INSERT INTO basket_lines (basket_id, product_id, quantity, unit_price_minor) VALUES ($1, $2, $3, $4)',
        [basketId, line.productId, line.quantity, line.unitPriceMinor],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
