import type { Config } from '@backstage/config';
import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { checkServiceName } from '@paved/plugin-platform-maturity-common';
import { readGoldenPathConfig } from '../config';
import { goldenPathContent, GoldenPathContent } from '../lib/content';
import { describeValue } from '../lib/stacks';
import { examples } from './policyCheck.examples';

/**
 * Options of {@link createPolicyCheckAction}.
 *
 * @public
 */
export interface PolicyCheckActionOptions {
  /** The catalog, to look up the owner, the system and existing components. */
  catalog: CatalogService;
  /** The root config; the action reads `goldenPath.policy`. */
  config: Config;
  /**
   * The content the action renders, as the module loads it at start-up (with the URLs and the
   * contributed content); default the content of `config`.
   *
   * @internal
   */
  content?: GoldenPathContent;
}

/** One input that is off the paved road, and why. */
interface Violation {
  input: string;
  problem: string;
}

/**
 * Parses an entity ref given as an input, or returns the problem with it.
 */
function parseRef(
  value: string,
  defaultKind: string,
): { ref: string; kind: string } | { problem: string } {
  try {
    const parsed = parseEntityRef(value.trim(), {
      defaultKind,
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    return {
      ref: stringifyEntityRef(parsed),
      kind: parsed.kind.toLocaleLowerCase('en-US'),
    };
  } catch (error) {
    return {
      problem: `${describeValue(value)} is not a valid entity ref (${
        (error as Error).message
      })`,
    };
  }
}

/**
 * Creates the `paved:policy:check` action: the friction off the paved road. It checks a
 * template's inputs against the platform's rules (the owner is a Group in the catalog, the system
 * exists, the name follows the naming rule and is free, the stack and CI provider are allowed)
 * and fails listing every violation at once.
 *
 * @public
 */
export function createPolicyCheckAction(options: PolicyCheckActionOptions) {
  const { catalog } = options;
  const { policy } = readGoldenPathConfig(options.config);
  const content = options.content ?? goldenPathContent(options.config);

  return createTemplateAction({
    id: 'paved:policy:check',
    description:
      "Checks a template's inputs against the platform's rules before anything is created: the owner is a Group in the catalog, the system exists, the name follows the naming rule (goldenPath.policy.namePattern) and is not taken, and the stack and CI provider are allowed (goldenPath.policy.allowedStacks, allowedCiProviders). Fails listing every violation at once.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'The name of the new service (its catalog metadata.name), for example orders',
            ),
        owner: z =>
          z
            .string()
            .describe(
              'The owning team: a Group entity ref, for example group:default/team-orders or team-orders',
            ),
        system: z =>
          z
            .string()
            .optional()
            .describe(
              'The system the service is part of: a System entity ref, for example system:default/commerce or commerce',
            ),
        stack: z =>
          z
            .string()
            .optional()
            .describe('The technology stack: node, go or python'),
        ciProvider: z =>
          z
            .string()
            .optional()
            .describe('The CI provider: github-actions or gitlab-ci'),
      },
      output: {
        ownerRef: z =>
          z.string().describe('The owner as a full entity ref (group:ns/name)'),
        systemRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The system as a full entity ref (system:ns/name), when given',
            ),
        versions: z =>
          z
            .record(z.string())
            .describe(
              "The golden path's runtime versions (go, node, python), for a template's skeleton: pass them to fetch:template as values.versions",
            ),
      },
    },
    async handler(ctx) {
      const { name, owner, system, stack, ciProvider } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const violations: Violation[] = [];
      const lookups: Promise<void>[] = [];

      // The name: the rule the template form applies as the user types (one definition).
      const nameProblem = checkServiceName(name, policy.nameRule);
      if (nameProblem) {
        violations.push({ input: 'name', problem: nameProblem });
      } else {
        const ref = stringifyEntityRef({
          kind: 'Component',
          namespace: DEFAULT_NAMESPACE,
          name,
        });
        lookups.push(
          catalog.getEntityByRef(ref, { credentials }).then(existing => {
            if (existing) {
              violations.push({
                input: 'name',
                problem: `${ref} already exists in the catalog; choose another name`,
              });
            }
          }),
        );
      }

      // The owner must be a Group that exists.
      let ownerRef: string | undefined;
      if (typeof owner !== 'string' || owner.trim() === '') {
        violations.push({ input: 'owner', problem: 'is required' });
      } else {
        const parsed = parseRef(owner, 'group');
        if ('problem' in parsed) {
          violations.push({ input: 'owner', problem: parsed.problem });
        } else {
          ownerRef = parsed.ref;
          lookups.push(
            catalog.getEntityByRef(parsed.ref, { credentials }).then(found => {
              if (!found) {
                violations.push({
                  input: 'owner',
                  problem: `${parsed.ref} does not exist in the catalog`,
                });
              } else if (found.kind.toLocaleLowerCase('en-US') !== 'group') {
                violations.push({
                  input: 'owner',
                  problem: `${parsed.ref} is a ${found.kind}; the owner must be a Group (a team, so that ownership survives people moving on)`,
                });
              }
            }),
          );
        }
      }

      // The system, when given, must be a System that exists.
      let systemRef: string | undefined;
      if (typeof system === 'string' && system.trim() !== '') {
        const parsed = parseRef(system, 'system');
        if ('problem' in parsed) {
          violations.push({ input: 'system', problem: parsed.problem });
        } else if (parsed.kind !== 'system') {
          violations.push({
            input: 'system',
            problem: `${parsed.ref} is not a System entity ref`,
          });
        } else {
          systemRef = parsed.ref;
          lookups.push(
            catalog.getEntityByRef(parsed.ref, { credentials }).then(found => {
              if (!found) {
                violations.push({
                  input: 'system',
                  problem: `${parsed.ref} does not exist in the catalog`,
                });
              }
            }),
          );
        }
      }

      // The stack and CI provider must be among those the platform allows.
      if (typeof stack === 'string' && stack !== '') {
        if (!(policy.allowedStacks as readonly string[]).includes(stack)) {
          violations.push({
            input: 'stack',
            problem: `'${stack}' is not allowed; allowed stacks: ${policy.allowedStacks.join(
              ', ',
            )} (goldenPath.policy.allowedStacks)`,
          });
        }
      }
      if (typeof ciProvider === 'string' && ciProvider !== '') {
        if (
          !(policy.allowedCiProviders as readonly string[]).includes(ciProvider)
        ) {
          violations.push({
            input: 'ciProvider',
            problem: `'${ciProvider}' is not allowed; allowed CI providers: ${policy.allowedCiProviders.join(
              ', ',
            )} (goldenPath.policy.allowedCiProviders)`,
          });
        }
      }

      await Promise.all(lookups);

      if (violations.length > 0) {
        const order = ['name', 'owner', 'system', 'stack', 'ciProvider'];
        violations.sort(
          (a, b) => order.indexOf(a.input) - order.indexOf(b.input),
        );
        throw new InputError(
          [
            `The template's inputs are off the paved road (${
              violations.length
            } problem${violations.length > 1 ? 's' : ''}):`,
            ...violations.map(v => `- ${v.input}: ${v.problem}`),
          ].join('\n'),
        );
      }

      ctx.logger.info(
        `Policy check passed: ${name} owned by ${ownerRef}${
          systemRef ? `, part of ${systemRef}` : ''
        }${stack ? `, stack ${stack}` : ''}${
          ciProvider ? `, CI ${ciProvider}` : ''
        }`,
      );
      ctx.output('ownerRef', ownerRef!);
      if (systemRef) {
        ctx.output('systemRef', systemRef);
      }
      ctx.output('versions', content.versions);
    },
  });
}
