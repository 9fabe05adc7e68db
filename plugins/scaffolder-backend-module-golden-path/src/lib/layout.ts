/*
 * Where the golden paths put deployment files, shared by `paved:deploy:add`
 * (which writes them) and `paved:capacity:add` / `paved:data:add` (which add
 * to them).
 *
 * The Helm chart `charts/<name>/` is written so that capacity is a pure
 * values merge: `values.yaml` has `resources: {}` and
 * `autoscaling: { enabled: false, minReplicas, maxReplicas,
 * targetCPUUtilizationPercentage }`; `templates/deployment.yaml` renders
 * `.Values.resources` and omits `replicas` when autoscaling is enabled;
 * `templates/hpa.yaml` (autoscaling/v2) is rendered only when
 * `.Values.autoscaling.enabled`. `templates/deployment.yaml` also renders
 * `.Values.env` (a list of `{name, value}`) and `.Values.initContainers`, for
 * actions that add configuration or a migration step.
 *
 * The Kustomize layout is `deploy/base/` (`kustomization.yaml`,
 * `deployment.yaml`, `service.yaml`) plus one overlay per environment in
 * `deploy/overlays/<env>/kustomization.yaml`. Capacity adds `hpa.yaml` to
 * the base, lists it under `resources:` of the base kustomization, and sets
 * `resources` on the container in `deployment.yaml`.
 */

/**
 * The Helm chart directory of a service, relative to the service directory.
 *
 * @internal
 */
export function helmChartDir(name: string): string {
  return `charts/${name}`;
}

/**
 * The Kustomize base directory, relative to the service directory.
 *
 * @internal
 */
export const KUSTOMIZE_BASE_DIR = 'deploy/base';

/**
 * The Kustomize overlays `paved:deploy:add` writes, one per environment, in
 * `deploy/overlays/<env>`.
 *
 * @internal
 */
export const KUSTOMIZE_OVERLAYS = ['staging', 'production'] as const;

/**
 * The directory of a Kustomize overlay, relative to the service directory.
 *
 * @internal
 */
export function kustomizeOverlayDir(
  env: (typeof KUSTOMIZE_OVERLAYS)[number],
): string {
  return `deploy/overlays/${env}`;
}
