import { InputError } from '@backstage/errors';
import type { WorkspaceFiles } from './workspace';

/**
 * The technology stacks the golden paths support.
 *
 * @public
 */
export const STACKS = ['node', 'go', 'python'] as const;

/**
 * A supported technology stack: `node` (TypeScript/Node.js), `go` or `python`.
 *
 * @public
 */
export type Stack = (typeof STACKS)[number];

/**
 * The CI providers the golden paths write pipelines for.
 *
 * @public
 */
export const CI_PROVIDERS = ['github-actions', 'gitlab-ci'] as const;

/**
 * A supported CI provider: `github-actions` or `gitlab-ci`.
 *
 * @public
 */
export type CiProvider = (typeof CI_PROVIDERS)[number];

/**
 * Checks that an input is one of the allowed values.
 *
 * @param inputName - the input, named in the error
 * @param value - the value given
 * @param allowed - the allowed values, listed in the error
 * @returns the value, narrowed to the allowed type
 * @throws InputError such as `Invalid input 'stack': 'rust' is not one of node, go, python`
 * @internal
 */
export function oneOf<T extends string>(
  inputName: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (
    typeof value === 'string' &&
    (allowed as readonly string[]).includes(value)
  ) {
    return value as T;
  }
  throw new InputError(
    `Invalid input '${inputName}': ${describeValue(
      value,
    )} is not one of ${allowed.join(', ')}`,
  );
}

/**
 * Quotes a user-supplied value for an error message.
 *
 * @internal
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  return value === undefined ? 'no value' : JSON.stringify(value);
}

/** Files whose presence identifies a stack, in detection order. */
const STACK_MARKERS: ReadonlyArray<{ stack: Stack; files: string[] }> = [
  { stack: 'node', files: ['package.json'] },
  { stack: 'go', files: ['go.mod'] },
  {
    stack: 'python',
    files: ['pyproject.toml', 'requirements.txt', 'setup.py', 'Pipfile'],
  },
];

/**
 * Detects the stack of the service directory from its manifest files:
 * `package.json` → node, `go.mod` → go, `pyproject.toml`, `requirements.txt`,
 * `setup.py` or `Pipfile` → python. The first match in that order wins.
 *
 * @returns the stack, or `undefined` when no manifest is present
 * @internal
 */
export async function detectStack(
  files: WorkspaceFiles,
): Promise<Stack | undefined> {
  for (const marker of STACK_MARKERS) {
    for (const file of marker.files) {
      if (await files.exists(file)) {
        return marker.stack;
      }
    }
  }
  return undefined;
}

/**
 * The stack to use: the `stack` input when given (validated, and also against
 * `allowed` when set), else the detected one.
 *
 * @param files - the workspace, for detection
 * @param input - the `stack` input, possibly undefined
 * @param allowed - the stacks allowed (default all)
 * @throws InputError when the input is not allowed, or when it is absent and
 *   nothing can be detected
 * @internal
 */
export async function resolveStack(
  files: WorkspaceFiles,
  input: string | undefined,
  allowed: readonly Stack[] = STACKS,
): Promise<Stack> {
  if (input !== undefined && input !== '') {
    return oneOf('stack', input, allowed);
  }
  const detected = await detectStack(files);
  if (!detected) {
    throw new InputError(
      `Input 'stack' is required: no package.json, go.mod, pyproject.toml, requirements.txt, setup.py or Pipfile found to detect it; use one of ${allowed.join(
        ', ',
      )}`,
    );
  }
  return oneOf('stack', detected, allowed);
}

/**
 * The CI provider to use: the `ciProvider` input when given (validated),
 * else `gitlab-ci` when the service has a `.gitlab-ci.yml` and no
 * `.github/workflows` directory, else `github-actions`.
 *
 * @throws InputError when the input is not a supported provider
 * @internal
 */
export async function resolveCiProvider(
  files: WorkspaceFiles,
  input: string | undefined,
  allowed: readonly CiProvider[] = CI_PROVIDERS,
): Promise<CiProvider> {
  if (input !== undefined && input !== '') {
    return oneOf('ciProvider', input, allowed);
  }
  const gitlab =
    (await files.exists('.gitlab-ci.yml')) &&
    !(await files.exists('.github/workflows'));
  return oneOf('ciProvider', gitlab ? 'gitlab-ci' : 'github-actions', allowed);
}
