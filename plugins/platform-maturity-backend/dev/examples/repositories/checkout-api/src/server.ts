import express from 'express';
import { z } from 'zod';
import { addLine, totalMinor } from './basket';
import { loadLines, pool, saveLines } from './db';

const addLineBody = z.object({
  productId: z.string().min(1),
  quantity: z.number().int().min(1),
  unitPriceMinor: z.number().int().min(0),
});

const app = express();
app.use(express.json());

app.get('/healthz', async (_req, res) => {
  await pool.query('SELECT 1');
  res.json({ status: 'ok' });
});

app.post('/baskets/:basketId/lines', async (req, res) => {
  const body = addLineBody.safeParse(req.body);
  if (!body.success) {
    res.status(400).json({ error: body.error.issues[0].message });
    return;
  }
  try {
    const lines = addLine(await loadLines(req.params.basketId), body.data);
    await saveLines(req.params.basketId, lines);
    res.json({ lines, totalMinor: totalMinor(lines) });
  } catch (error) {
    if (error instanceof RangeError) {
      res.status(400).json({ error: error.message });
      return;
    }
    throw error;
  }
});

app.listen(Number(process.env.PORT ?? 8080));
