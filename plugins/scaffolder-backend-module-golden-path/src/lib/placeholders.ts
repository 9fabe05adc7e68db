import { InputError } from '@backstage/errors';
import {
  isPathInside,
  readRegularFile,
} from '@paved/plugin-platform-maturity-node';
import path from 'node:path';
import yaml from 'yaml';
import { MAX_WORKSPACE_FILE_SIZE } from './workspace';

/** The catalog's substitution placeholders (`definition: { $text: ./openapi.yaml }`). */
const PLACEHOLDER = /^\$(text|json|yaml)$/;
/** A value with a URL scheme (`https:`, `file:`) is not a path relative to the catalog file. */
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** A map that is one placeholder naming a relative file: its kind and path, else undefined. */
function relativePlaceholder(
  node: yaml.YAMLMap,
): { kind: string; file: string } | undefined {
  if (node.items.length !== 1) return undefined;
  const { key, value } = node.items[0];
  if (!yaml.isScalar(key) || !yaml.isScalar(value)) return undefined;
  const kind = PLACEHOLDER.exec(String(key.value))?.[1];
  const file = value.value;
  if (!kind || typeof file !== 'string' || !file || HAS_SCHEME.test(file)) {
    return undefined;
  }
  return { kind, file };
}

/**
 * A catalog file whose placeholders that name a file relative to it (`$text: ./openapi.yaml`,
 * `$json`, `$yaml`) are replaced by that file's content, as the catalog would substitute it.
 * The catalog resolves placeholders through the URL readers, which do not read local files, so
 * an entity registered from a `file` location with such a placeholder is never ingested; with
 * the content inline it is. Everything else, comments included, stays as it was; each inlined
 * value says where it came from. Returns the text unchanged when there is nothing to inline.
 *
 * @param options - `dir`: the directory of the catalog file; `root`: the repository, which no
 *   named file may leave; `displayPath`: the catalog file's path for messages
 * @throws InputError naming the placeholder and the file when a file cannot be read or parsed
 * @internal
 */
export async function inlineRelativePlaceholders(
  text: string,
  options: { dir: string; root: string; displayPath: string },
): Promise<{ text: string; inlined: string[] }> {
  const docs = yaml.parseAllDocuments(text);
  const wanted = new Set<string>();
  for (const doc of docs) {
    yaml.visit(doc, {
      Map(_, node) {
        const placeholder = relativePlaceholder(node);
        if (placeholder) wanted.add(placeholder.file);
      },
    });
  }
  if (wanted.size === 0) {
    return { text, inlined: [] };
  }
  const contents = new Map<string, string>();
  for (const file of wanted) {
    const absolute = path.resolve(options.dir, file);
    if (!isPathInside(options.root, absolute)) {
      throw new InputError(
        `${options.displayPath} refers to ${file} in a placeholder, which is outside the repository`,
      );
    }
    try {
      const buffer = await readRegularFile(absolute, {
        root: options.root,
        maxSize: MAX_WORKSPACE_FILE_SIZE,
        displayPath: path.relative(options.root, absolute),
      });
      contents.set(file, buffer.toString('utf8'));
    } catch (error) {
      throw new InputError(
        `${
          options.displayPath
        } refers to ${file} in a placeholder, which cannot be read: ${
          (error as Error).message
        }`,
      );
    }
  }
  for (const doc of docs) {
    yaml.visit(doc, {
      Map(_, node) {
        const placeholder = relativePlaceholder(node);
        if (!placeholder) return undefined;
        const content = contents.get(placeholder.file)!;
        let value: unknown = content;
        try {
          if (placeholder.kind === 'json') value = JSON.parse(content);
          if (placeholder.kind === 'yaml') value = yaml.parse(content);
        } catch (error) {
          throw new InputError(
            `${options.displayPath} refers to ${placeholder.file} in a $${
              placeholder.kind
            } placeholder, which does not parse: ${(error as Error).message}`,
          );
        }
        const replacement = doc.createNode(value);
        if (yaml.isScalar(replacement)) {
          replacement.type = 'BLOCK_LITERAL';
        }
        replacement.comment = ` inlined from ${placeholder.file}: the catalog cannot read files next to a file location`;
        return replacement;
      },
    });
  }
  return {
    text: docs.map(doc => doc.toString()).join(''),
    inlined: [...wanted],
  };
}
