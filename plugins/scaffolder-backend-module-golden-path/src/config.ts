import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_SERVICE_NAME_PATTERN,
  MAX_SERVICE_NAME_LENGTH,
  ServiceNameRule,
} from '@paved/plugin-platform-maturity-common';
import { CI_PROVIDERS, CiProvider, Stack, STACKS } from './lib/stacks';

/**
 * The default `goldenPath.policy.namePattern`: a DNS label (lower-case letters, digits and
 * dashes, starting and ending with a letter or digit).
 *
 * @public
 */
export const DEFAULT_NAME_PATTERN = DEFAULT_SERVICE_NAME_PATTERN;

/**
 * The longest service name the policy accepts: the catalog's limit for `metadata.name`, which is
 * also the DNS label limit.
 *
 * @public
 */
export const MAX_NAME_LENGTH = MAX_SERVICE_NAME_LENGTH;

/**
 * The validated `goldenPath` configuration.
 *
 * @public
 */
export interface GoldenPathConfig {
  policy: {
    /** Stacks a template may use (`goldenPath.policy.allowedStacks`, default all). */
    allowedStacks: readonly Stack[];
    /** CI providers a template may use (`goldenPath.policy.allowedCiProviders`, default all). */
    allowedCiProviders: readonly CiProvider[];
    /** The rule service names follow (`goldenPath.policy.namePattern`). */
    namePattern: RegExp;
    /**
     * The naming rule as the template form receives it (`namePattern` and
     * `namePatternDescription`).
     */
    nameRule: ServiceNameRule;
  };
  localPublish: {
    /** Absolute directory `paved:publish:local` publishes under; unset when not configured. */
    root?: string;
  };
  content: {
    /**
     * Absolute directory of the platform team's golden-path content
     * (`goldenPath.content.directory`); unset when the actions render only the package's own.
     */
    directory?: string;
    /**
     * Every place the platform team's content comes from, in the order it is laid over the
     * package's own (the whole content, then each capability, then each variant).
     */
    sources: GoldenPathContentSource[];
  };
}

/**
 * One place of the platform team's golden-path content, from `goldenPath.content`.
 *
 * @public
 */
export interface GoldenPathContentSource {
  /**
   * What it replaces: `''` the whole content (content sets and `versions.yaml`), a capability
   * such as `deploy` (its variants), or a variant such as `deploy/helm` (one content set).
   */
  scope: string;
  /** An absolute local directory; set when `url` is not. */
  directory?: string;
  /** A URL read with Backstage's URL reader (`readTree`); set when `directory` is not. */
  url?: string;
  /** The configuration key it comes from, named in errors. */
  key: string;
}

/**
 * The key of the local publishing root, named in errors when it is missing.
 *
 * @internal
 */
export const LOCAL_PUBLISH_ROOT_KEY = 'goldenPath.localPublish.root';

const sourceShape = {
  directory: z
    .string({ error: 'must be a directory path' })
    .min(1, 'must be a directory path')
    .optional(),
  url: z
    .string({ error: 'must be a URL' })
    .refine(value => /^https?:\/\/[^/]+/.test(value), {
      error:
        'must be an http(s) URL that an integration of the URL reader reads',
    })
    .optional(),
};

/** A content source names a directory or a URL, not both. */
function oneSource(
  value: { directory?: string; url?: string },
  ctx: z.RefinementCtx,
): void {
  if (value.directory !== undefined && value.url !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: 'cannot be set together with directory; choose one',
    });
  }
}

const schema = z.strictObject({
  policy: z
    .strictObject({
      allowedStacks: z
        .array(
          z.enum(STACKS, { error: `must be one of ${STACKS.join(', ')}` }),
          { error: 'must be a list of stacks' },
        )
        .min(1, 'must list at least one stack')
        .optional(),
      allowedCiProviders: z
        .array(
          z.enum(CI_PROVIDERS, {
            error: `must be one of ${CI_PROVIDERS.join(', ')}`,
          }),
          { error: 'must be a list of CI providers' },
        )
        .min(1, 'must list at least one CI provider')
        .optional(),
      namePattern: z
        .string({ error: 'must be a regular expression' })
        .min(1, 'must not be empty')
        .refine(
          value => {
            try {
              return Boolean(new RegExp(value));
            } catch {
              return false;
            }
          },
          { error: 'must be a valid regular expression' },
        )
        .optional(),
      namePatternDescription: z
        .string({ error: 'must be a sentence describing namePattern' })
        .min(1, 'must not be empty')
        .optional(),
    })
    .optional(),
  localPublish: z
    .strictObject({
      root: z
        .string({ error: 'must be an absolute directory path' })
        .refine(value => path.isAbsolute(value), {
          error: 'must be an absolute directory path',
        })
        .optional(),
    })
    .optional(),
  content: z
    .strictObject({
      ...sourceShape,
      capabilities: z
        .record(
          z.string(),
          z
            .strictObject({
              ...sourceShape,
              variants: z
                .record(
                  z.string(),
                  z.strictObject(sourceShape).superRefine(oneSource),
                  { error: 'must map variant names to a directory or url' },
                )
                .optional(),
            })
            .superRefine(oneSource),
          { error: 'must map capabilities to a directory, a url or variants' },
        )
        .optional(),
    })
    .superRefine(oneSource)
    .optional(),
});

/**
 * Reads and validates the `goldenPath` configuration. Unknown keys are errors, so that a typo
 * never silently does nothing.
 *
 * @throws InputError naming the key and the problem, which stops the module at start.
 * @public
 */
export function readGoldenPathConfig(config: Config): GoldenPathConfig {
  const raw = config.getOptional('goldenPath') ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = ['goldenPath', ...issue.path.map(String)].join('.');
    const problem =
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys
            .map(k => `'${k}'`)
            .join(', ')}`
        : issue.message;
    throw new InputError(`Invalid configuration at '${key}': ${problem}`);
  }
  const { policy = {}, localPublish = {}, content = {} } = parsed.data;
  return {
    policy: {
      allowedStacks: policy.allowedStacks ?? STACKS,
      allowedCiProviders: policy.allowedCiProviders ?? CI_PROVIDERS,
      namePattern: new RegExp(policy.namePattern ?? DEFAULT_NAME_PATTERN),
      nameRule: {
        pattern: policy.namePattern ?? DEFAULT_NAME_PATTERN,
        description: policy.namePatternDescription,
      },
    },
    localPublish: {
      root: localPublish.root ? path.resolve(localPublish.root) : undefined,
    },
    content: {
      directory: content.directory
        ? path.resolve(content.directory)
        : undefined,
      sources: contentSources(content),
    },
  };
}

/** The content sources of `goldenPath.content`: the whole content, capabilities, variants. */
function contentSources(
  content: NonNullable<z.infer<typeof schema>['content']>,
): GoldenPathContentSource[] {
  const key = 'goldenPath.content';
  const source = (
    scope: string,
    at: string,
    value: { directory?: string; url?: string },
  ): GoldenPathContentSource[] => {
    if (value.directory !== undefined) {
      return [
        {
          scope,
          directory: path.resolve(value.directory),
          key: `${at}.directory`,
        },
      ];
    }
    return value.url !== undefined
      ? [{ scope, url: value.url, key: `${at}.url` }]
      : [];
  };
  const capabilities = Object.entries(content.capabilities ?? {});
  return [
    ...source('', key, content),
    ...capabilities.flatMap(([capability, value]) =>
      source(capability, `${key}.capabilities.${capability}`, value),
    ),
    ...capabilities.flatMap(([capability, value]) =>
      Object.entries(value.variants ?? {}).flatMap(([variant, v]) =>
        source(
          `${capability}/${variant}`,
          `${key}.capabilities.${capability}.variants.${variant}`,
          v,
        ),
      ),
    ),
  ];
}
