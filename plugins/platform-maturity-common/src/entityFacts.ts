import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { ScorecardEntityFacts } from './api';
import type { Ruleset } from './ruleset/compileRuleset';
import type { CheckStatus, Remediation, Scorecard } from './types';

/**
 * The catalog facts a scorecard carries of its entity: its ref, kind, namespace, name and title,
 * its owner, system and lifecycle, and the domain of its system. The one definition of them,
 * shared by the backend (which stores and filters by them) and the command-line scorer, so both
 * describe an entity alike. Relations are full refs (`group:default/team-a`), relative to the
 * entity's namespace; a value that is not a valid ref is left out.
 *
 * @param systemOf - the System entity of a system ref, when it is known: its `spec.domain` gives
 *   the domain
 * @public
 */
export function entityFactsOf(
  entity: Entity,
  systemOf: (systemRef: string) => Entity | undefined,
): ScorecardEntityFacts {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? 'default';
  const title = entity.metadata.title;
  const ref = (value: unknown, defaultKind: string) => {
    if (typeof value !== 'string' || !value) return undefined;
    try {
      return stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
      );
    } catch {
      return undefined;
    }
  };
  const system = ref(spec.system, 'system');
  const domain = system
    ? ref(systemOf(system)?.spec?.domain, 'domain')
    : undefined;
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: namespace.toLocaleLowerCase('en-US'),
    name: entity.metadata.name,
    title: typeof title === 'string' ? title : undefined,
    owner: ref(spec.owner, 'group'),
    system,
    domain,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    type: typeof spec.type === 'string' ? spec.type : undefined,
  };
}

/**
 * The scaffolder page of a check's remediation template, prefilled with the entity the check
 * failed for and the template's configured values: the link behind every Fix button and Fix link
 * (the card, the actions' `scaffolderPath`, the command-line scorer's reports). Undefined when
 * the remediation has no template or its ref does not parse.
 *
 * @param options - `scaffolderRoot`: where the app mounts the scaffolder, `/create` by default;
 *   prefix it with the app's base URL for an absolute link
 * @public
 */
export function remediationTemplatePath(
  remediation: Remediation,
  entityRef: string,
  options: { scaffolderRoot?: string } = {},
): string | undefined {
  if (!remediation.templateRef) {
    return undefined;
  }
  let template;
  try {
    template = parseEntityRef(remediation.templateRef, {
      defaultKind: 'template',
      defaultNamespace: 'default',
    });
  } catch {
    // The config schema validates templateRef; an extension's own remediation may not be.
    return undefined;
  }
  // The entity comes first and is the one the check failed for, whatever the values say.
  const formData = { entity: entityRef, ...remediation.values };
  formData.entity = entityRef;
  const root = (options.scaffolderRoot ?? '/create').replace(/\/+$/, '');
  return `${root}/templates/${encodeURIComponent(
    template.namespace,
  )}/${encodeURIComponent(template.name)}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

/**
 * A check of a scorecard that fails or could not be checked, with what an owner needs to act on
 * it: its title and message, and the remediation of the ruleset's check definition.
 *
 * @public
 */
export interface ActionableCheck {
  checkId: string;
  capability: string;
  /** The check's title; its id when the ruleset no longer has the check. */
  title: string;
  message: string;
  /** The remediation of the check's definition in the ruleset; empty when it has none. */
  remediation: Remediation;
}

/**
 * The checks of a scorecard with a given status (`fail` by default), in the scorecard's order,
 * described from the ruleset's check definitions: the one list the actions, the verify step and
 * the reports give of what is failing. A stored scorecard may name a check the current ruleset no
 * longer has; it is listed by its id, without remediation.
 *
 * @public
 */
export function checksWithStatus(
  ruleset: Pick<Ruleset, 'checks'>,
  scorecard: Pick<Scorecard, 'results'>,
  status: CheckStatus = 'fail',
): ActionableCheck[] {
  const definitions = new Map(
    ruleset.checks.map(c => [c.definition.id, c.definition]),
  );
  return scorecard.results
    .filter(r => r.status === status)
    .map(r => {
      const definition = definitions.get(r.checkId);
      return {
        checkId: r.checkId,
        capability: r.capability,
        title: definition?.title ?? r.checkId,
        message: r.message,
        remediation: definition?.remediation ?? {},
      };
    });
}
