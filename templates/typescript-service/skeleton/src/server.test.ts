import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createApp } from './server';

const app = createApp({ service: '${{ values.name }}', version: '1.2.3' });
let base = '';

before(async () => {
  await new Promise<void>(resolve => app.listen(0, resolve));
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

after(() => {
  app.close();
});

test('GET /healthz answers ok', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('GET / describes the service', async () => {
  const res = await fetch(`${base}/`);
  assert.deepEqual(await res.json(), {
    service: '${{ values.name }}',
    version: '1.2.3',
  });
});

test('unknown paths are 404 and other methods 405', async () => {
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 405);
});
