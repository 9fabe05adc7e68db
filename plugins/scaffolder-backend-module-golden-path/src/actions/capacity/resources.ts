import { Document, isMap, isScalar, YAMLMap } from 'yaml';
import type { Capacity, ExistingCapacity } from './capacity';

/** Sets a value at a path of a map, creating maps on the way; returns whether it changed. */
export function setIn(
  doc: Document,
  map: YAMLMap,
  path: Array<string>,
  value: unknown,
): boolean {
  let current: YAMLMap = map;
  for (const key of path.slice(0, -1)) {
    let next = current.get(key);
    if (!isMap(next)) {
      next = new YAMLMap();
      current.set(key, next);
    }
    current = next as YAMLMap;
  }
  const key = path[path.length - 1];
  const before = current.get(key, true);
  if (isScalar(before)) {
    if (String(before.value) === String(value)) {
      return false;
    }
    // In place, so that a comment on the line stays.
    before.value = value;
    return true;
  }
  current.set(key, doc.createNode(value));
  return true;
}

/** Sets requests and limits on a map that holds `resources` (a container, or Helm values). */
export function setResources(
  doc: Document,
  owner: YAMLMap,
  capacity: Capacity,
): boolean {
  const resources = owner.get('resources');
  if (!isMap(resources) || resources.items.length === 0) {
    // Absent or `resources: {}`: a block map, keeping the comments of the key.
    owner.set(
      'resources',
      doc.createNode({ requests: capacity.requests, limits: capacity.limits }),
    );
    return true;
  }
  let changed = false;
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      changed =
        setIn(
          doc,
          resources as YAMLMap,
          [kind, resource],
          capacity[kind][resource],
        ) || changed;
    }
  }
  return changed;
}

/** Reads requests and limits from a map that holds `resources`. */
export function readResources(
  owner: unknown,
): Pick<ExistingCapacity, 'requests' | 'limits'> {
  const resources = isMap(owner) ? owner.get('resources') : undefined;
  const read = (kind: string) => {
    const map = isMap(resources) ? resources.get(kind) : undefined;
    return isMap(map) ? { cpu: map.get('cpu'), memory: map.get('memory') } : {};
  };
  return { requests: read('requests'), limits: read('limits') };
}

// --- Helm values ---
