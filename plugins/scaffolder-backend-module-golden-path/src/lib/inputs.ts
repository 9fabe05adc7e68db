import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { z as zImpl } from 'zod/v3';
import {
  DEFAULT_NAME_PATTERN,
  GoldenPathConfig,
  MAX_NAME_LENGTH,
  readGoldenPathConfig,
} from '../config';
import { guessServiceName, normalizeEntityRef } from './catalogInfo';
import type { WorkspaceFiles } from './workspace';

/**
 * The `goldenPath.policy` an action applies: read and validated from the
 * root config when the action has one, else `undefined` (everything allowed,
 * the default naming rule).
 *
 * @throws InputError naming the key when the configuration is invalid
 * @internal
 */
export function goldenPathPolicy(
  config: Config | undefined,
): GoldenPathConfig['policy'] | undefined {
  return config ? readGoldenPathConfig(config).policy : undefined;
}

/**
 * Checks a service name against the naming rule.
 *
 * @param value - the name
 * @param options - the input's name (default `name`) and the rule
 *   (`goldenPath.policy.namePattern`; default {@link DEFAULT_NAME_PATTERN}, a
 *   DNS label, so that the name is valid as an entity name, a Kubernetes
 *   object name and a Helm release name)
 * @returns the name
 * @throws InputError naming the input and the rule
 * @internal
 */
export function validateServiceName(
  value: string,
  options: { inputName?: string; pattern?: RegExp } = {},
): string {
  const inputName = options.inputName ?? 'name';
  const pattern = options.pattern ?? new RegExp(DEFAULT_NAME_PATTERN);
  if (value.length > MAX_NAME_LENGTH || !pattern.test(value)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' must match ${
        pattern.source
      } and be at most ${MAX_NAME_LENGTH} characters${
        options.pattern ? '' : ' (lower-case letters, digits and -)'
      }`,
    );
  }
  return value;
}

/**
 * The `name` input when given, checked against the naming rule.
 *
 * @param value - the input, `undefined` when absent
 * @param pattern - `goldenPath.policy.namePattern` (default {@link DEFAULT_NAME_PATTERN})
 * @returns the name, or `undefined` when the input is absent
 * @throws InputError naming the input and the rule
 * @internal
 */
export function serviceNameInput(
  value: string | undefined,
  pattern?: RegExp,
): string | undefined {
  return value !== undefined
    ? validateServiceName(value, { pattern })
    : undefined;
}

/**
 * The `name` input, else the name the repository gives the service (see
 * `guessServiceName`), checked against the naming rule.
 *
 * @throws InputError when neither names the service, or the name breaks the rule
 * @internal
 */
export async function requiredServiceName(
  files: WorkspaceFiles,
  value: string | undefined,
  pattern?: RegExp,
): Promise<string> {
  const name = value ?? (await guessServiceName(files));
  if (name === undefined) {
    throw new InputError(
      "Input 'name' is required: no package.json, pyproject.toml or go.mod names the service",
    );
  }
  return validateServiceName(name, { pattern });
}

/**
 * The `port` input, default 8080.
 *
 * @throws InputError naming the input when it is not a port number
 * @internal
 */
export function portInput(value: number | undefined): number {
  const port = value ?? 8080;
  if (port < 1 || port > 65535) {
    throw new InputError(
      `Invalid input 'port': ${port} is not a port number (1-65535)`,
    );
  }
  return port;
}

/**
 * A container image repository without tag or digest, as Docker and OCI
 * registries accept it: an optional registry host (with port), then
 * lower-case path components separated by `/`.
 */
const IMAGE_REPOSITORY =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * Checks a container image repository input (such as `ghcr.io/acme/orders`).
 * A tag or digest is rejected: the pipeline tags every image with the
 * version it builds.
 *
 * @throws InputError naming the input
 * @internal
 */
export function validateImage(value: string, inputName = 'image'): string {
  const lastComponent = value.split('/').pop() ?? '';
  if (value.includes('@') || lastComponent.includes(':')) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' must be an image repository without a tag or digest (the pipeline tags each image with its version), such as ghcr.io/acme/orders`,
    );
  }
  if (!IMAGE_REPOSITORY.test(value)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a container image repository, such as ghcr.io/acme/orders`,
    );
  }
  return value;
}

/**
 * The input schema entries every golden-path action shares, in the
 * scaffolder's zod-callback form. Spread them into an action's
 * `schema.input`; the handler applies the defaults.
 *
 * @internal
 */
export const commonInputSchema = {
  path: (z: typeof zImpl) =>
    z
      .string()
      .optional()
      .describe(
        'Directory of the service inside the workspace (its repository root); default `.`',
      ),
  overwrite: (z: typeof zImpl) =>
    z
      .boolean()
      .optional()
      .describe(
        'Replace existing files that cannot be merged instead of leaving them alone; default false',
      ),
};

/**
 * The optional `name` input schema of the capability actions, in the
 * scaffolder's zod-callback form.
 *
 * @param description - what the name names and where its default comes from;
 *   by default the service's Component in catalog-info.yaml
 * @internal
 */
export function serviceNameInputSchema(
  description = 'The service (its Component in catalog-info.yaml); default the only Component there, else the name in package.json, pyproject.toml or go.mod',
) {
  return (z: typeof zImpl) => z.string().optional().describe(description);
}

/**
 * The `files` output every golden-path action has: what happened to each
 * file (see `FileResult`).
 *
 * @internal
 */
export const filesOutputSchema = {
  files: (z: typeof zImpl) =>
    z
      .array(
        z.object({
          path: z.string(),
          change: z.enum([
            'created',
            'updated',
            'unchanged',
            'skipped',
            'overwritten',
          ]),
          reason: z.string().optional(),
        }),
      )
      .describe(
        'Each file the action planned, relative to the workspace: created, updated (merged), unchanged, skipped (left alone, with the reason) or overwritten',
      ),
};

/**
 * The `owner` input as a full ref: a Group (the default kind) or a User.
 *
 * @returns the ref, or `undefined` when the input is absent
 * @throws InputError naming the input when the ref is malformed or of another kind
 * @internal
 */
export function ownerRefInput(value: string | undefined): string | undefined {
  return value !== undefined
    ? normalizeEntityRef('owner', value, {
        defaultKind: 'group',
        allowedKinds: ['group', 'user'],
      })
    : undefined;
}

/**
 * The `system` input as a full System ref.
 *
 * @returns the ref, or `undefined` when the input is absent
 * @throws InputError naming the input when the ref is malformed or of another kind
 * @internal
 */
export function systemRefInput(value: string | undefined): string | undefined {
  return value !== undefined
    ? normalizeEntityRef('system', value, {
        defaultKind: 'system',
        allowedKinds: ['system'],
      })
    : undefined;
}
