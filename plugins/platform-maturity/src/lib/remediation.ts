import { parseEntityRef } from '@backstage/catalog-model';
import type { Remediation } from '@paved/plugin-platform-maturity-common';

/**
 * The scaffolder page of a check's remediation template, with the template's form prefilled
 * (`formData`): the remediation's values plus `entity`, the ref of the entity to fix. Undefined
 * when the remediation names no template or the template ref cannot be parsed.
 * `scaffolderRoot` is the path the scaffolder is mounted at, for example `/create`.
 */
export function remediationTemplateUrl(options: {
  scaffolderRoot: string;
  remediation: Remediation;
  entityRef: string;
}): string | undefined {
  const { scaffolderRoot, remediation, entityRef } = options;
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
    return undefined;
  }
  const formData = JSON.stringify({
    ...remediation.values,
    entity: entityRef,
  });
  const root = scaffolderRoot.replace(/\/+$/, '');
  return `${root}/templates/${encodeURIComponent(
    template.namespace,
  )}/${encodeURIComponent(template.name)}?formData=${encodeURIComponent(
    formData,
  )}`;
}
