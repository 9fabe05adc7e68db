import { z } from 'zod';
import { CAPABILITY_IDS } from '../capabilities';
import { globProblem } from '../engine/globs';

const capabilityId = z.enum(CAPABILITY_IDS as [string, ...string[]], {
  error: `must be one of ${CAPABILITY_IDS.join(', ')}`,
});

/**
 * The name of a check within its capability: lower-case words of letters and digits joined by
 * `-` or `_`, so that no id is an `Object.prototype` key such as `__proto__` or `constructor`.
 */
export const CHECK_NAME_PATTERN =
  /^(?!(?:constructor|prototype)$)[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
/** The longest check name accepted, in characters. */
export const MAX_CHECK_NAME_LENGTH = 64;
/** The longest content pattern accepted, in characters. */
export const MAX_CONTENT_PATTERN_LENGTH = 1000;

/** A link shown to users: only http(s), never `javascript:` or `data:`. */
const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an absolute http(s) URL',
});

const jsonObject = z.record(z.string(), z.unknown(), {
  error: 'must be an object',
});

/** A filter predicate; its structure is checked by `@backstage/filter-predicates`. */
const predicate = jsonObject;

const remediation = z
  .object({
    templateRef: z
      .string()
      .regex(
        /^([a-z0-9-]+:)?([a-z0-9._-]+\/)?[a-z0-9._-]+$/i,
        'must be a template entity ref such as template:default/add-capabilities',
      )
      .optional(),
    values: jsonObject.optional(),
    docsUrl: httpUrl.optional(),
  })
  .strict();

const isoDate = z
  .string({ error: 'must be an ISO 8601 date such as 2027-03-31' })
  .refine(value => !Number.isNaN(Date.parse(value)), {
    error: 'must be an ISO 8601 date such as 2027-03-31',
  });

/** Settings for one check: overrides of a built-in check, or a new check declared in config. */
export const checkConfigSchema = z
  .object({
    enabled: z.boolean().optional(),
    weight: z
      .number({ error: 'must be a number' })
      .positive('must be a positive number')
      .optional(),
    appliesTo: predicate.optional(),
    title: z.string().min(1, 'must not be empty').optional(),
    description: z.string().optional(),
    remediation: remediation.optional(),
    /** Settings of a built-in or code check that takes them (see its documentation). */
    options: jsonObject.optional(),
    /** New checks: the entity must match this predicate. */
    entity: predicate.optional(),
    /** New checks: at least one repository file must match one of these globs. */
    files: z
      .array(
        z
          .string()
          .min(1, 'must not be empty')
          .superRefine((glob, ctx) => {
            const problem = globProblem(glob);
            if (problem) {
              ctx.addIssue({ code: 'custom', message: problem });
            }
          }),
        {
          error: 'must be a list of globs',
        },
      )
      .min(1, 'must list at least one glob')
      .optional(),
    /** New checks: a matching file's content must match this regular expression. */
    content: z
      .string()
      .min(1, 'must not be empty')
      .max(
        MAX_CONTENT_PATTERN_LENGTH,
        `must be at most ${MAX_CONTENT_PATTERN_LENGTH} characters`,
      )
      .optional(),
  })
  .strict();

export const levelSchema = z
  .object({
    level: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      // Stored in an integer column on both databases; a ladder has a handful of rungs.
      .max(1000, 'must be at most 1000'),
    name: z
      .string({ error: 'must be a non-empty string' })
      .min(1, 'must be a non-empty string'),
    description: z.string().optional(),
    requires: z.array(capabilityId).default([]),
    minScore: z
      .number({ error: 'must be a number' })
      .min(0, 'must be between 0 and 100')
      .max(100, 'must be between 0 and 100')
      .optional(),
  })
  .strict();

export const waiverConfigSchema = z
  .object({
    entity: z
      .string({
        error: 'must be an entity ref such as component:default/billing',
      })
      .regex(
        /^[a-z0-9-]+:([a-z0-9._-]+\/)?[a-z0-9._-]+$/i,
        'must be an entity ref such as component:default/billing',
      ),
    check: z
      .string({ error: 'must name a check id' })
      .min(1, 'must name a check id'),
    reason: z
      .string({ error: 'must give a reason' })
      .min(1, 'must give a reason'),
    waivedBy: z
      .string({ error: 'must say who granted the waiver' })
      .min(1, 'must say who granted the waiver'),
    until: isoDate,
  })
  .strict();

/**
 * The ruleset part of the `platformMaturity` configuration. Other keys of `platformMaturity`
 * belong to the backend and are ignored here.
 */
export const rulesetConfigSchema = z.object({
  checks: z
    .record(
      z.string(),
      z.record(z.string(), checkConfigSchema, { error: 'must be an object' }),
      { error: 'must be an object' },
    )
    .optional(),
  levels: z
    .array(levelSchema, { error: 'must be a list of levels' })
    .min(1, 'must list at least one level')
    .optional(),
  waivers: z
    .array(waiverConfigSchema, { error: 'must be a list of waivers' })
    .optional(),
  allowEntityWaivers: z.boolean({ error: 'must be true or false' }).optional(),
  remediation: z
    .object({
      templateRef: remediation.shape.templateRef,
      docsBaseUrl: httpUrl.optional(),
    })
    .strict()
    .optional(),
});

export type CheckConfig = z.infer<typeof checkConfigSchema>;
export type RulesetConfigInput = z.input<typeof rulesetConfigSchema>;
