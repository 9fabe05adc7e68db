import { InputError } from '@backstage/errors';
import type { z as zImpl } from 'zod/v3';
import { DEFAULT_NAME_PATTERN, MAX_NAME_LENGTH } from '../config';
import { normalizeEntityRef } from './catalogInfo';

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
 * @throws InputError naming the input when the ref is malformed or of another kind
 * @internal
 */
export function ownerRefInput(value: string): string {
  return normalizeEntityRef('owner', value, {
    defaultKind: 'group',
    allowedKinds: ['group', 'user'],
  });
}

/**
 * The `system` input as a full System ref.
 *
 * @throws InputError naming the input when the ref is malformed or of another kind
 * @internal
 */
export function systemRefInput(value: string): string {
  return normalizeEntityRef('system', value, {
    defaultKind: 'system',
    allowedKinds: ['system'],
  });
}
