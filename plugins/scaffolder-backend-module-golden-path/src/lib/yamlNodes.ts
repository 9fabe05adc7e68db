import { Document, isMap, isScalar, isSeq, Scalar, YAMLMap } from 'yaml';

/*
 * Typed access to the nodes of a `yaml` Document, for the edits that keep a file's comments and
 * layout: the library types a node's keys and items as `unknown`, these narrow them.
 */

/** The value of a scalar node, or `node` itself when it is not one (such as a plain value). */
export function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/** The items of a sequence node as strings; empty when `node` is not a sequence. */
export function sequenceStrings(node: unknown): string[] {
  return isSeq(node) ? node.items.map(item => String(scalarValue(item))) : [];
}

/**
 * The root mapping of a document, an empty document getting an empty one; `undefined` when the
 * root is a sequence or a scalar.
 */
export function rootMap(doc: Document.Parsed | Document): YAMLMap | undefined {
  if (doc.contents === null) {
    const root = new YAMLMap();
    // A parsed document's contents are typed as parsed nodes; a new map is as good a root.
    (doc as Document).contents = root;
    return root;
  }
  return isMap(doc.contents) ? doc.contents : undefined;
}

/** The key node of a mapping's entry `key`, to carry a comment; `undefined` when absent. */
export function scalarKey(map: YAMLMap, key: string): Scalar | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === key) {
      return pair.key;
    }
  }
  return undefined;
}
