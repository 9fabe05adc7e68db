import type { Capability, CapabilityId } from './types';

/**
 * The six capabilities of the self-serve checklist, in checklist order.
 *
 * @public
 */
export const CAPABILITIES: readonly Capability[] = Object.freeze([
  {
    id: 'build',
    title: 'Build & test',
    description:
      'Every change runs the tests and produces a new, versioned artifact without anyone doing it by hand. A CI pipeline defined in the repository runs the test suite on each change and builds something deployable, such as a container image or a package, so that what runs in production is exactly what was tested.',
  },
  {
    id: 'deploy',
    title: 'Deploy, version & roll back',
    description:
      'The service can be deployed, its releases carry versions, and a bad release can be undone quickly. Deployment is described as code (a Helm chart, Kustomize, manifests, Argo CD or a serverless config), releases are versioned automatically, and there is a known, rehearsed way back to the previous version.',
  },
  {
    id: 'observe',
    title: 'Instrument, monitor & debug',
    description:
      'When something goes wrong, the owners find out first and can see why. The code is instrumented with OpenTelemetry, dashboards and alerts are linked from the catalog, and an on-call route says who gets paged.',
  },
  {
    id: 'data',
    title: 'Data & schema migrations',
    description:
      'Data stores are declared and their schemas change through code. The database is a catalog Resource the service depends on, and schema changes are migrations kept in the repository and applied by the pipeline, never by hand. Services without a data store skip this capability.',
  },
  {
    id: 'capacity',
    title: 'Capacity',
    description:
      'The service adjusts to load without a ticket. Autoscaling is configured (HPA, KEDA or the platform equivalent) and every workload declares the CPU and memory it requests and may use, so the platform can pack, scale and protect it.',
  },
  {
    id: 'as-code',
    title: 'Everything as code',
    description:
      'The service, its owner and its relationships are described in code that the catalog reads. The catalog entry names an owner that exists, a system and a lifecycle, declares what the service depends on and provides, and its infrastructure is defined as code rather than clicked together.',
  },
] as Capability[]);

/**
 * The capability ids in checklist order.
 *
 * @public
 */
export const CAPABILITY_IDS: readonly CapabilityId[] = CAPABILITIES.map(
  c => c.id,
);

/**
 * Whether a string is one of the six capability ids.
 *
 * @public
 */
export function isCapabilityId(value: unknown): value is CapabilityId {
  return (
    typeof value === 'string' &&
    (CAPABILITY_IDS as readonly string[]).includes(value)
  );
}
