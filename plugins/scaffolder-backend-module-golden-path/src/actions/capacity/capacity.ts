import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { GoldenPathContent } from '../../lib/content';
import type { WorkspaceFiles } from '../../lib/workspace';

/*
 * What paved:capacity:add writes, whatever the target: the capacity (autoscaling bounds and
 * target, requests and limits), from the inputs, what the deployment has, and the defaults.
 */

/** The values the action applies when an input is absent and the deployment has none. */
export const DEFAULTS = {
  minReplicas: 2,
  maxReplicas: 10,
  targetCpuUtilization: 80,
  cpuRequest: '100m',
  memoryRequest: '128Mi',
  cpuLimit: '500m',
  memoryLimit: '512Mi',
} as const;

/** The most pods an input may ask for. */
export const MAX_REPLICAS = 1000;

/** A resource the action requests and limits. */
export type ResourceName = 'cpu' | 'memory';
type Quantities = Record<ResourceName, string>;

/** What the deployment gets: autoscaling bounds and target, requests and limits. */
export type Capacity = {
  minReplicas: number;
  maxReplicas: number;
  targetCpuUtilization: number;
  requests: Quantities;
  limits: Quantities;
};

/** What the deployment already has, read from its files. */
export type ExistingCapacity = {
  minReplicas?: unknown;
  maxReplicas?: unknown;
  targetCpuUtilization?: unknown;
  requests?: Partial<Record<ResourceName, unknown>>;
  limits?: Partial<Record<ResourceName, unknown>>;
};

/** The capacity inputs of the action, validated. */
export type CapacityInput = {
  minReplicas?: number;
  maxReplicas?: number;
  targetCpuUtilization?: number;
  cpuRequest?: string;
  memoryRequest?: string;
  cpuLimit?: string;
  memoryLimit?: string;
};

const QUANTITY =
  /^(\d+(?:\.\d*)?|\.\d+)(?:([kMGTPE]i|[mkMGTPE])|[eE]([+-]?\d+))?$/;
const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity (`250m` → 0.25, `1Gi` → 1073741824), or undefined. */
function quantityValue(value: unknown): number | undefined {
  const match = QUANTITY.exec(String(value ?? '').trim());
  if (!match) {
    return undefined;
  }
  const [, number, suffix, exponent] = match;
  return (
    Number(number) *
    (suffix ? SUFFIX[suffix] : 1) *
    (exponent ? 10 ** Number(exponent) : 1)
  );
}

/** Checks a CPU or memory quantity input. */
export function quantityInput(
  inputName: string,
  resource: ResourceName,
  value: string,
): string {
  const trimmed = value.trim();
  const amount = quantityValue(trimmed);
  const example = resource === 'cpu' ? '250m or 0.5' : '256Mi or 1Gi';
  if (amount === undefined) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a Kubernetes quantity, such as ${example}`,
    );
  }
  if (amount <= 0) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' must be more than zero`,
    );
  }
  if (resource === 'memory' && /m$/.test(trimmed)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' means millibytes; write memory in Mi or Gi, such as ${example}`,
    );
  }
  if (resource === 'cpu' && !/^(?:\d+(?:\.\d*)?|\.\d+)m?$/.test(trimmed)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a CPU quantity, such as ${example}`,
    );
  }
  return trimmed;
}

/** Checks a whole-number input against its range. */
export function integerInput(
  inputName: string,
  value: number,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `Invalid input '${inputName}': ${value} must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** A whole number already in a file, or undefined when it is not one (such as a template). */
function existingInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number)
    ? number
    : undefined;
}

function existingQuantity(value: unknown): string | undefined {
  return value !== undefined &&
    value !== null &&
    quantityValue(value) !== undefined
    ? String(value)
    : undefined;
}

/**
 * The capacity to write: each input that is given; else what the deployment already has; else
 * the default — chosen so that defaults never contradict the user's own values (a default limit
 * is at least the existing request, a default request at most the existing limit).
 *
 * @throws InputError when the result is inconsistent: minReplicas above maxReplicas, a request
 *   above its limit
 */
export function resolveCapacity(
  input: CapacityInput,
  existing: ExistingCapacity,
): Capacity {
  const minReplicas =
    input.minReplicas ??
    existingInteger(existing.minReplicas) ??
    Math.min(
      DEFAULTS.minReplicas,
      input.maxReplicas ??
        existingInteger(existing.maxReplicas) ??
        DEFAULTS.minReplicas,
    );
  const maxReplicas =
    input.maxReplicas ??
    existingInteger(existing.maxReplicas) ??
    Math.max(DEFAULTS.maxReplicas, minReplicas);
  if (minReplicas > maxReplicas) {
    throw new InputError(
      `Invalid input 'minReplicas': ${minReplicas} is more than maxReplicas ${maxReplicas}${
        input.maxReplicas === undefined
          ? ' (already set in the deployment)'
          : ''
      }`,
    );
  }
  const capacity: Capacity = {
    minReplicas,
    maxReplicas,
    targetCpuUtilization:
      input.targetCpuUtilization ??
      existingInteger(existing.targetCpuUtilization) ??
      DEFAULTS.targetCpuUtilization,
    requests: { cpu: '', memory: '' },
    limits: { cpu: '', memory: '' },
  };
  const inputs = {
    cpu: { request: input.cpuRequest, limit: input.cpuLimit },
    memory: { request: input.memoryRequest, limit: input.memoryLimit },
  };
  for (const resource of ['cpu', 'memory'] as const) {
    const given = inputs[resource];
    const defaults =
      resource === 'cpu'
        ? { request: DEFAULTS.cpuRequest, limit: DEFAULTS.cpuLimit }
        : { request: DEFAULTS.memoryRequest, limit: DEFAULTS.memoryLimit };
    const kept = {
      request: existingQuantity(existing.requests?.[resource]),
      limit: existingQuantity(existing.limits?.[resource]),
    };
    const request = given.request ?? kept.request;
    const limit = given.limit ?? kept.limit;
    const larger = (a: string, b: string) =>
      quantityValue(a)! >= quantityValue(b)! ? a : b;
    const smaller = (a: string, b: string) =>
      quantityValue(a)! <= quantityValue(b)! ? a : b;
    capacity.requests[resource] =
      request ?? (limit ? smaller(defaults.request, limit) : defaults.request);
    capacity.limits[resource] =
      limit ?? larger(defaults.limit, capacity.requests[resource]);
    if (
      quantityValue(capacity.requests[resource])! >
      quantityValue(capacity.limits[resource])!
    ) {
      const inputName = `${resource}${given.request ? 'Request' : 'Limit'}`;
      throw new InputError(
        `Invalid input '${inputName}': the ${resource} request ${capacity.requests[resource]} is more than the ${resource} limit ${capacity.limits[resource]}`,
      );
    }
  }
  return capacity;
}

/** What a target's planner works with: the step's files, content and logger. */
export type CapacityStep = {
  files: WorkspaceFiles;
  content: GoldenPathContent;
  logger: LoggerService;
};
