import type { Remediation } from '@paved/plugin-platform-maturity-common';
import { parseRef } from '../lib/entities';

/**
 * The scaffolder page of a check's remediation template, prefilled with the entity and the
 * template's values: the same link the backend's actions give, on the given Backstage app.
 *
 * @internal
 */
export function templateUrl(
  backstageUrl: string,
  remediation: Remediation,
  entityRef: string,
): string | undefined {
  if (!remediation.templateRef) {
    return undefined;
  }
  const template = parseRef(remediation.templateRef, { kind: 'template' });
  if (!template) {
    return undefined;
  }
  const formData: Record<string, unknown> = {
    entity: entityRef,
    ...remediation.values,
  };
  // The entity is the one the check failed for, whatever the configured values say.
  formData.entity = entityRef;
  return `${backstageUrl.replace(
    /\/+$/,
    '',
  )}/create/templates/${encodeURIComponent(
    template.namespace,
  )}/${encodeURIComponent(template.name)}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}
