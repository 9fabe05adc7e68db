import { spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/paved');

/**
 * What a run of the `paved` binary did.
 *
 * @internal
 */
export interface PavedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `paved` binary (bin/paved with PAVED_CLI_DIST set, so dist/index.cjs.js) as a
 * child process, with an environment free of configuration variables and colour settings.
 *
 * @internal
 */
export function runPaved(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<PavedRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      key.startsWith('APP_CONFIG_') ||
      key === 'NO_COLOR' ||
      key === 'FORCE_COLOR'
    ) {
      delete env[key];
    }
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...env, PAVED_CLI_DIST: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', chunk => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

/**
 * A stack trace line, which a user mistake must never print.
 *
 * @internal
 */
export const STACK_TRACE = /^\s+at .+[(:]\d+/m;
