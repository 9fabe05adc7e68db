// A first test, so that the pipeline has tests to run from day one. Replace it with real tests.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';

test('the package manifest names the service', async () => {
  const manifest = JSON.parse(
    await readFile(new URL('../package.json', import.meta.url), 'utf8'),
  );
  assert.equal(typeof manifest.name, 'string');
});
