import type { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { GoldenPathContent } from '../lib/content';
import { serviceComponent } from '../lib/catalogInfo';
import {
  findDeploymentManifest,
  findHelmChart,
  findKustomizeBase,
} from '../lib/deployTargets';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import {
  commonInputSchema,
  filesOutputSchema,
  serviceNameInputSchema,
  validateServiceName,
} from '../lib/inputs';
import {
  CapacityInput,
  DEFAULTS,
  integerInput,
  MAX_REPLICAS,
  quantityInput,
} from './capacity/capacity';
import { planHelmCapacity } from './capacity/helm';
import { planKustomizeCapacity } from './capacity/kustomize';
import { planManifestsCapacity, planNewCapacity } from './capacity/manifests';
import { examples } from './capacityAdd.examples';

/**
 * Options of {@link createCapacityAddAction}.
 *
 * @public
 */
export interface CapacityAddActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy.namePattern` for the
   * `name` input. Without it, names must be DNS labels.
   */
  config?: Config;
  /**
   * The content the action renders, as the module loads it at start-up (with the URLs and the
   * contributed content); default the content of `config`.
   *
   * @internal
   */
  content?: GoldenPathContent;
}

type Target = 'helm' | 'kustomize' | 'manifests' | 'existing';

/**
 * Creates the `paved:capacity:add` action: autoscaling and resource requests
 * and limits for the service's Kubernetes deployment, so that the capacity
 * checks pass.
 *
 * Where it writes: a Helm chart (`charts/<name>` or another conventional
 * place) gets `autoscaling` (enabled, with the bounds and CPU target) and
 * `resources` merged into `values.yaml`, and `templates/hpa.yaml` when the
 * chart has no autoscaler template; a Kustomize base gets `hpa.yaml` (listed
 * in its kustomization) and the resources on the Deployment's container;
 * plain manifests get the same next to the Deployment; a service without any
 * gets `deploy/hpa.yaml` and a `deploy/resources-patch.yaml` patch. Values
 * given as inputs are written; absent inputs keep what the deployment already
 * has, else take the defaults (2–10 pods at 80% CPU; 100m/128Mi requested,
 * 500m/512Mi limit).
 *
 * @public
 */
export function createCapacityAddAction(
  options: CapacityAddActionOptions = {},
) {
  const setup = goldenPathSetup(options);

  return createTemplateAction({
    id: 'paved:capacity:add',
    description:
      "Adds autoscaling (a HorizontalPodAutoscaler with min and max replicas and a CPU target) and CPU and memory requests and limits to the service's Kubernetes deployment: merged into the Helm chart's values.yaml (plus templates/hpa.yaml when missing), into the Kustomize base, or next to plain manifests; deploy/hpa.yaml and a resources patch when there is no deployment yet.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(
          'The service (its chart and Deployment name); default the only Component in catalog-info.yaml, else the name in package.json, pyproject.toml or go.mod',
        ),
        minReplicas: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `The fewest pods (1-${MAX_REPLICAS}); default the deployment's, else ${DEFAULTS.minReplicas}`,
            ),
        maxReplicas: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `The most pods (1-${MAX_REPLICAS}, at least minReplicas); default the deployment's, else ${DEFAULTS.maxReplicas}`,
            ),
        targetCpuUtilization: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `The average CPU use, in percent of the CPU request (1-100), that the autoscaler keeps; default the deployment's, else ${DEFAULTS.targetCpuUtilization}`,
            ),
        cpuRequest: z =>
          z
            .string()
            .optional()
            .describe(
              `CPU requested per pod (Kubernetes quantity, such as 250m); default ${DEFAULTS.cpuRequest}`,
            ),
        memoryRequest: z =>
          z
            .string()
            .optional()
            .describe(
              `Memory requested per pod (such as 256Mi); default ${DEFAULTS.memoryRequest}`,
            ),
        cpuLimit: z =>
          z
            .string()
            .optional()
            .describe(
              `CPU limit per pod (at least the request); default ${DEFAULTS.cpuLimit}`,
            ),
        memoryLimit: z =>
          z
            .string()
            .optional()
            .describe(
              `Memory limit per pod (at least the request); default ${DEFAULTS.memoryLimit}`,
            ),
        ...commonInputSchema,
      },
      output: {
        target: z =>
          z
            .enum(['helm', 'kustomize', 'manifests', 'existing'])
            .describe(
              'Where capacity went: the Helm chart, the Kustomize base, plain manifests, or existing (the service already scales and sizes itself another way, such as serverless)',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files } = step;

        // Every input is validated before anything is planned.
        const given: CapacityInput = {
          minReplicas:
            input.minReplicas !== undefined
              ? integerInput('minReplicas', input.minReplicas, 1, MAX_REPLICAS)
              : undefined,
          maxReplicas:
            input.maxReplicas !== undefined
              ? integerInput('maxReplicas', input.maxReplicas, 1, MAX_REPLICAS)
              : undefined,
          targetCpuUtilization:
            input.targetCpuUtilization !== undefined
              ? integerInput(
                  'targetCpuUtilization',
                  input.targetCpuUtilization,
                  1,
                  100,
                )
              : undefined,
          cpuRequest:
            input.cpuRequest !== undefined
              ? quantityInput('cpuRequest', 'cpu', input.cpuRequest)
              : undefined,
          memoryRequest:
            input.memoryRequest !== undefined
              ? quantityInput('memoryRequest', 'memory', input.memoryRequest)
              : undefined,
          cpuLimit:
            input.cpuLimit !== undefined
              ? quantityInput('cpuLimit', 'cpu', input.cpuLimit)
              : undefined,
          memoryLimit:
            input.memoryLimit !== undefined
              ? quantityInput('memoryLimit', 'memory', input.memoryLimit)
              : undefined,
        };
        const { serviceName } = await serviceComponent(files, input.name);
        const name = step.name() ?? validateServiceName(serviceName);

        let target: Target;
        const chart = await findHelmChart(files, name);
        const base = chart ? undefined : await findKustomizeBase(files);
        const manifest =
          chart || base ? undefined : await findDeploymentManifest(files, name);
        if (chart) {
          target = 'helm';
          await planHelmCapacity(step, chart, given);
        } else if (base) {
          target = 'kustomize';
          await planKustomizeCapacity(step, base, name, given);
        } else if (manifest) {
          target = 'manifests';
          await planManifestsCapacity(step, manifest, name, given);
        } else {
          target = await planNewCapacity(step, name, given);
        }

        return { target };
      });
    },
  });
}
