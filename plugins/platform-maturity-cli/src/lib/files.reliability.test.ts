import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordReliability } from '../__testUtils__/reliability';
import { readBaselineFile } from './baseline';
import { findCatalogFile, readCatalogFile, readEntityFile } from './entities';

// A hang shows as this test timeout, never as a timing assertion.
jest.setTimeout(20_000);

describe('files the CLI reads that are not regular files', () => {
  const figures = { tried: 0, failedSafe: 0, failedUnsafe: 0 };
  let dir: string;
  let fifo: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-cli-hostile-'));
    fifo = path.join(dir, 'catalog-info.yaml');
    execFileSync('mkfifo', [fifo]);
  });

  afterEach(() => {
    // Releases a read that an unsafe run left blocked on the FIFO.
    try {
      fs.closeSync(
        fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK),
      );
    } catch {
      // No reader.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  afterAll(() => {
    recordReliability({ area: 'evidence files', ...figures });
  });

  /** The message the read failed with, counted as safe when it is `expected`. */
  async function refusal(
    read: () => Promise<unknown>,
    expected: string,
  ): Promise<string | undefined> {
    const message = await read().then(
      () => undefined,
      (error: Error) => error.message,
    );
    figures.tried++;
    if (message === expected) {
      figures.failedSafe++;
    } else {
      figures.failedUnsafe++;
    }
    return message;
  }

  it('refuses a FIFO given as --entity, --catalog or --baseline, naming the option and the file', async () => {
    const problem = `Cannot read ${fifo}: it is a FIFO (named pipe), not a regular file`;
    const reads: Array<[string, () => Promise<unknown>]> = [
      ['--entity', () => readEntityFile(fifo, '--entity')],
      ['--catalog', () => readCatalogFile(fifo, '--catalog')],
      ['--baseline', () => readBaselineFile(fifo)],
    ];
    for (const [option, read] of reads) {
      const expected = `${option}: ${problem}`;
      expect(await refusal(read, expected)).toBe(expected);
    }
  });

  it('refuses a FIFO as the catalog file of the scored directory instead of scoring without it', async () => {
    const expected = `directory: Cannot read ${fifo}: it is a FIFO (named pipe), not a regular file`;
    expect(await refusal(() => findCatalogFile(dir), expected)).toBe(expected);
  });
});
