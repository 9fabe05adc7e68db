import type { CheckImplementation } from '@paved/plugin-platform-maturity-common';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { usageError } from './errors';

const OPTION = '--checks';

function checkProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') {
    return 'is not an object';
  }
  const check = value as Record<string, unknown>;
  for (const field of ['id', 'capability', 'title', 'evidence']) {
    if (typeof check[field] !== 'string' || !check[field]) {
      return `has no ${field}`;
    }
  }
  if (typeof check.evaluate !== 'function') {
    return 'has no evaluate function';
  }
  return undefined;
}

/**
 * Loads checks written in code, the ones a backend module adds through
 * `platformMaturityChecksExtensionPoint`, from a JavaScript module (a file or a package name,
 * resolved from the working directory) that exports them as `checks` or as its default export: one
 * check or a list.
 *
 * @internal
 */
export async function loadCheckModules(
  specifiers: readonly string[],
  cwd: string = process.cwd(),
): Promise<CheckImplementation[]> {
  const resolveFrom = createRequire(path.join(cwd, 'noop.js'));
  const checks: CheckImplementation[] = [];
  for (const specifier of specifiers) {
    let resolved: string;
    try {
      resolved = resolveFrom.resolve(
        specifier.startsWith('.') || path.isAbsolute(specifier)
          ? path.resolve(cwd, specifier)
          : specifier,
      );
    } catch {
      throw usageError(OPTION, `cannot find the module ${specifier}`);
    }
    let loaded: Record<string, unknown>;
    try {
      loaded = await import(pathToFileURL(resolved).href);
    } catch (error) {
      throw usageError(
        OPTION,
        `${specifier} could not be loaded: ${(error as Error).message}`,
      );
    }
    // A CommonJS module's exports arrive as the default export of the namespace.
    const exported =
      loaded.checks ??
      (loaded.default as Record<string, unknown> | undefined)?.checks ??
      loaded.default;
    const list = Array.isArray(exported) ? exported : [exported];
    list.forEach((check, i) => {
      const problem = checkProblem(check);
      if (problem) {
        throw usageError(
          OPTION,
          `${specifier} must export its checks as 'checks' or as the default export; ${
            list.length > 1 ? `check ${i + 1}` : 'the export'
          } ${problem}`,
        );
      }
    });
    checks.push(...(list as CheckImplementation[]));
  }
  return checks;
}
