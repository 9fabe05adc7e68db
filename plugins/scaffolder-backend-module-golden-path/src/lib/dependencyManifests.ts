/**
 * Adds dependencies to the manifests of the supported stacks — `package.json`, `go.mod`,
 * `requirements.txt` and `pyproject.toml` — as text edits, so that everything else in the user's
 * file stays as it was (formatting, order, comments), and a dependency that is already declared is
 * never changed, whatever its version. Every function returns its input unchanged when there is
 * nothing to add, so applying one twice changes nothing.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { setJsonValue } from './jsonEdit';
import type { MergeConflict, WorkspaceFiles } from './workspace';

// ---------------------------------------------------------------------------------------------
// package.json
// ---------------------------------------------------------------------------------------------

/** The sections of a package.json that declare a dependency. */
const NPM_SECTIONS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

/** The whitespace between the start of the line holding `index` and `index`. */
function indentBefore(text: string, index: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const before = text.slice(lineStart, index);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function isSorted(keys: string[]): boolean {
  return keys.every(
    (key, i) => i === 0 || keys[i - 1].localeCompare(key, 'en') <= 0,
  );
}

type Insertion = { at: number; text: string };

/** Inserts texts at offsets of the original; texts at the same offset keep their order. */
function applyInsertions(text: string, insertions: Insertion[]): string {
  let result = text;
  const ordered = insertions
    .map((insertion, index) => ({ ...insertion, index }))
    .sort((a, b) => b.at - a.at || b.index - a.index);
  for (const { at, text: inserted } of ordered) {
    result = result.slice(0, at) + inserted + result.slice(at);
  }
  return result;
}

/**
 * Adds npm dependencies to the text of a `package.json`, in `section` (default `dependencies`).
 * A package already declared in any dependency section is left as it is.
 *
 * @param text - the current content of package.json
 * @param dependencies - package name → version range
 * @returns the new content, or a conflict when the file is not a JSON object or the section is
 *   not an object
 * @internal
 */
export function addNpmDependencies(
  text: string,
  dependencies: Record<string, string>,
  section: 'dependencies' | 'devDependencies' = 'dependencies',
): string | MergeConflict {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    return {
      conflict: `package.json is not valid JSON (${(error as Error).message})`,
    };
  }
  if (!isObject(manifest)) {
    return { conflict: 'package.json is not a JSON object' };
  }
  const declared = new Set<string>();
  for (const name of NPM_SECTIONS) {
    const deps = manifest[name];
    if (deps !== undefined && !isObject(deps)) {
      return { conflict: `"${name}" in package.json is not an object` };
    }
    Object.keys(deps ?? {}).forEach(dep => declared.add(dep));
  }
  const missing = Object.entries(dependencies).filter(
    ([name]) => !declared.has(name),
  );
  if (missing.length === 0) {
    return text;
  }
  const current = manifest[section];
  const keys = Object.keys(isObject(current) ? current : {});
  // At the sorted place when the section's keys are sorted (as npm keeps them), else at the end.
  const sorted = keys.length > 0 && isSorted(keys);
  let result = current === undefined ? setJsonValue(text, [section], {}) : text;
  for (const [name, version] of missing) {
    result = setJsonValue(result, [section, name], version, properties => {
      const before = sorted
        ? properties.findIndex(key => key.localeCompare(name, 'en') > 0)
        : -1;
      return before === -1 ? properties.length : before;
    });
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// go.mod
// ---------------------------------------------------------------------------------------------

const GO_BLOCK_OPEN = /^\s*require\s*\(\s*(?:\/\/.*)?$/;
const GO_BLOCK_CLOSE = /^\s*\)\s*(?:\/\/.*)?$/;
const GO_SINGLE_REQUIRE = /^\s*require\s+(\S+)\s+\S+/;
const GO_BLOCK_REQUIRE = /^(\s*)(\S+)\s+\S+/;
const GO_INDIRECT = /\s*\/\/\s*indirect\s*$/;
const GO_DIRECTIVE = /^\s*(?:module|go|toolchain)\s/;

/**
 * Adds direct requirements to the text of a `go.mod`: into its first block of direct
 * requirements (sorted in when the block is sorted), else into a new `require ( … )` block after
 * the `module`/`go`/`toolchain` directives. A module already required keeps its version; one
 * required only as `// indirect` loses that marker, since the code now imports it. Run
 * `go mod tidy` afterwards to complete `go.sum`.
 *
 * @param text - the current content of go.mod
 * @param requirements - module path → version (`v1.2.3`)
 * @internal
 */
export function addGoRequirements(
  text: string,
  requirements: Record<string, string>,
): string {
  const eol = lineEnding(text);
  const lines = text.split(/\r?\n/);
  const required = new Map<string, number>();
  const blocks: Array<{ open: number; close: number; direct: boolean }> = [];
  for (let i = 0; i < lines.length; i++) {
    const single = GO_SINGLE_REQUIRE.exec(lines[i]);
    if (single && !GO_BLOCK_OPEN.test(lines[i])) {
      required.set(single[1], i);
      continue;
    }
    if (!GO_BLOCK_OPEN.test(lines[i])) {
      continue;
    }
    const block = { open: i, close: i, direct: false };
    for (i++; i < lines.length && !GO_BLOCK_CLOSE.test(lines[i]); i++) {
      const entry = GO_BLOCK_REQUIRE.exec(lines[i]);
      if (entry && !entry[2].startsWith('//')) {
        required.set(entry[2], i);
        block.direct ||= !GO_INDIRECT.test(lines[i]);
      }
    }
    block.close = i;
    blocks.push(block);
  }
  const missing: Array<[string, string]> = [];
  for (const [path, version] of Object.entries(requirements)) {
    const line = required.get(path);
    if (line === undefined) {
      missing.push([path, version]);
    } else if (GO_INDIRECT.test(lines[line])) {
      lines[line] = lines[line].replace(GO_INDIRECT, '');
    }
  }
  const target = blocks.find(b => b.direct);
  if (missing.length > 0 && target) {
    const entries = lines.slice(target.open + 1, target.close);
    const paths = entries
      .map(l => GO_BLOCK_REQUIRE.exec(l)?.[2])
      .filter((p): p is string => !!p && !p.startsWith('//'));
    const indent =
      entries
        .map(l => GO_BLOCK_REQUIRE.exec(l)?.[1])
        .find(i => i !== undefined) ?? '\t';
    const sorted = paths.every((p, i) => i === 0 || paths[i - 1] <= p);
    // Insert from the bottom so that earlier line numbers stay valid.
    const placed = missing
      .map(([path, version]) => {
        let at = target.close;
        if (sorted) {
          for (let i = target.open + 1; i < target.close; i++) {
            const p = GO_BLOCK_REQUIRE.exec(lines[i])?.[2];
            if (p && !p.startsWith('//') && p > path) {
              at = i;
              break;
            }
          }
        }
        return { at, line: `${indent}${path} ${version}` };
      })
      .sort((a, b) => b.at - a.at || b.line.localeCompare(a.line));
    for (const { at, line } of placed) {
      lines.splice(at, 0, line);
    }
  } else if (missing.length > 0) {
    let after = -1;
    for (let i = 0; i < lines.length; i++) {
      if (GO_DIRECTIVE.test(lines[i])) {
        after = i;
      } else if (
        GO_BLOCK_OPEN.test(lines[i]) ||
        GO_SINGLE_REQUIRE.test(lines[i])
      ) {
        break;
      }
    }
    const block = [
      '',
      'require (',
      ...missing.map(([path, version]) => `\t${path} ${version}`),
      ')',
    ];
    if (after === -1 && lines.length === 1 && lines[0] === '') {
      lines.splice(0, 1, ...block.slice(1), '');
    } else {
      lines.splice(after + 1, 0, ...block);
    }
  }
  return lines.join(eol);
}

// ---------------------------------------------------------------------------------------------
// Python: requirements.txt and pyproject.toml
// ---------------------------------------------------------------------------------------------

/**
 * A Python distribution to depend on, with the lowest compatible release (`~=` in PEP 508, `^`
 * for Poetry).
 *
 * @internal
 */
export type PythonRequirement = {
  name: string;
  /** At least major.minor, such as `1.45`. */
  minimum: string;
  extras?: string[];
};

/** A name normalised as PEP 503 does, so that `Foo_Bar` and `foo-bar` are one distribution. */
function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const PEP508_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

function pep508(requirement: PythonRequirement): string {
  const extras = requirement.extras?.length
    ? `[${requirement.extras.join(',')}]`
    : '';
  return `${requirement.name}${extras}~=${requirement.minimum}`;
}

/**
 * Adds requirements to the text of a `requirements.txt` (an empty string creates one), one per
 * line at the end. A distribution already listed (by normalised name) is left as it is; option
 * lines (`-r`, `-e`, `--hash`) and comments are ignored when looking.
 *
 * @internal
 */
export function addPythonRequirements(
  text: string,
  requirements: PythonRequirement[],
): string {
  const declared = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const name = PEP508_NAME.exec(line.replace(/(?:^|\s)#.*$/, ''))?.[1];
    if (name) {
      declared.add(normalizePythonName(name));
    }
  }
  const missing = requirements.filter(
    r => !declared.has(normalizePythonName(r.name)),
  );
  if (missing.length === 0) {
    return text;
  }
  const eol = lineEnding(text);
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}${eol}`;
  return `${prefix}${missing.map(r => `${pep508(r)}${eol}`).join('')}`;
}

/** A TOML table header line, such as `[project]` or `[[tool.foo]]`. */
const TOML_HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;

type TomlTable = { name: string; header: number; end: number };

/** The tables of a TOML document by line: the header line and the line after the table's last. */
function tomlTables(lines: string[]): TomlTable[] {
  const tables: TomlTable[] = [];
  let inMultiLineString: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Skip the content of multi-line strings, where a line may look like a header.
    for (const quote of ['"""', "'''"]) {
      const count = line.split(quote).length - 1;
      if (inMultiLineString === undefined && count % 2 === 1) {
        inMultiLineString = quote;
      } else if (inMultiLineString === quote && count % 2 === 1) {
        inMultiLineString = undefined;
      }
    }
    const header =
      inMultiLineString === undefined ? TOML_HEADER.exec(line) : undefined;
    if (header) {
      if (tables.length > 0) {
        tables[tables.length - 1].end = i;
      }
      tables.push({
        name: header[1].replace(/\s*\.\s*/g, '.'),
        header: i,
        end: lines.length,
      });
    }
  }
  return tables;
}

/** The line after the table's last line that is not blank, where new keys go. */
function endOfTableContent(lines: string[], table: TomlTable): number {
  let end = table.end;
  while (end > table.header + 1 && lines[end - 1].trim() === '') {
    end--;
  }
  return end;
}

type TomlArray = {
  /** Offset of `[` and `]` in the joined text. */
  open: number;
  close: number;
  /** The string values, with the offsets of their opening quote and after their closing one. */
  values: Array<{ value: string; start: number; end: number }>;
  /** Offsets of the commas between the values. */
  commas: number[];
};

/** The array that starts at `open` in TOML text (strings and comments skipped). */
function tomlArray(text: string, open: number): TomlArray | undefined {
  const array: TomlArray = { open, close: -1, values: [], commas: [] };
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) {
        j += c === '"' && text[j] === '\\' ? 2 : 1;
      }
      array.values.push({
        value: text.slice(i + quote.length, j),
        start: i,
        end: j + quote.length,
      });
      i = j + quote.length;
    } else if (c === ',') {
      array.commas.push(i);
      i++;
    } else if (c === ']') {
      array.close = i;
      return array;
    } else if (c === '[' || c === '{') {
      // Not an array of requirement strings.
      return undefined;
    } else {
      i++;
    }
  }
  return undefined;
}

/**
 * Where a `pyproject.toml` declares its dependencies: PEP 621 `[project]` (unless they are
 * `dynamic`, read from elsewhere), or Poetry's `[tool.poetry.dependencies]`; `undefined` when it
 * declares none (a file of tool settings only).
 *
 * @internal
 */
export function pyprojectDependencyStyle(
  text: string,
): 'pep621' | 'poetry' | undefined {
  const lines = text.split(/\r?\n/);
  const tables = tomlTables(lines);
  const project = tables.find(t => t.name === 'project');
  if (project) {
    const body = lines.slice(project.header + 1, project.end).join('\n');
    const dynamic = /^\s*dynamic\s*=\s*\[([^\]]*)\]/m.exec(body);
    if (!dynamic || !/["']dependencies["']/.test(dynamic[1])) {
      return 'pep621';
    }
  }
  return tables.some(t => t.name === 'tool.poetry.dependencies')
    ? 'poetry'
    : undefined;
}

/**
 * Adds requirements to the text of a `pyproject.toml`, in the place its
 * {@link pyprojectDependencyStyle} names: the `dependencies` array of `[project]` (created at the
 * end of the table when absent) in the array's own layout, or new `name = "^x.y"` lines at the end
 * of `[tool.poetry.dependencies]`. Comments and everything else stay as they were.
 *
 * @returns the new content, or a conflict when the file declares no dependencies or its
 *   `dependencies` is not an array of strings
 * @internal
 */
export function addPyprojectDependencies(
  text: string,
  requirements: PythonRequirement[],
): string | MergeConflict {
  const style = pyprojectDependencyStyle(text);
  if (!style) {
    return {
      conflict:
        'pyproject.toml declares no dependencies ([project] or [tool.poetry.dependencies])',
    };
  }
  const eol = lineEnding(text);
  const lines = text.split(/\r?\n/);
  const tables = tomlTables(lines);
  if (style === 'poetry') {
    const table = tables.find(t => t.name === 'tool.poetry.dependencies')!;
    const declared = new Set(
      lines
        .slice(table.header + 1, table.end)
        .map(l => /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(l)?.[1])
        .filter((n): n is string => !!n)
        .map(normalizePythonName),
    );
    const missing = requirements.filter(
      r => !declared.has(normalizePythonName(r.name)),
    );
    if (missing.length === 0) {
      return text;
    }
    const added = missing.map(r =>
      r.extras?.length
        ? `${r.name} = { version = "^${r.minimum}", extras = [${r.extras
            .map(e => JSON.stringify(e))
            .join(', ')}] }`
        : `${r.name} = "^${r.minimum}"`,
    );
    lines.splice(endOfTableContent(lines, table), 0, ...added);
    return lines.join(eol);
  }
  const project = tables.find(t => t.name === 'project')!;
  const keyLine = lines.findIndex(
    (l, i) =>
      i > project.header && i < project.end && /^\s*dependencies\s*=/.test(l),
  );
  if (keyLine === -1) {
    const missing = requirements;
    lines.splice(
      endOfTableContent(lines, project),
      0,
      'dependencies = [',
      ...missing.map(r => `    ${JSON.stringify(pep508(r))},`),
      ']',
    );
    return lines.join(eol);
  }
  const lineOffset = (line: number) =>
    lines.slice(0, line).reduce((sum, l) => sum + l.length + eol.length, 0);
  const joined = lines.join(eol);
  const open = joined.indexOf('[', lineOffset(keyLine));
  const array = open === -1 ? undefined : tomlArray(joined, open);
  if (!array) {
    return {
      conflict:
        'dependencies in [project] of pyproject.toml is not an array of strings',
    };
  }
  const declared = new Set(
    array.values
      .map(v => PEP508_NAME.exec(v.value)?.[1])
      .filter((n): n is string => !!n)
      .map(normalizePythonName),
  );
  const missing = requirements.filter(
    r => !declared.has(normalizePythonName(r.name)),
  );
  if (missing.length === 0) {
    return text;
  }
  const rendered = missing.map(r => JSON.stringify(pep508(r)));
  const lastValue = array.values[array.values.length - 1];
  const hasTrailingComma =
    lastValue !== undefined && array.commas.some(c => c >= lastValue.end);
  const closeIndent = indentBefore(joined, array.close);
  if (closeIndent === undefined) {
    // `]` ends a line with values: continue inline.
    let lead = '';
    if (lastValue) {
      lead = hasTrailingComma ? ' ' : ', ';
    }
    return applyInsertions(joined, [
      { at: array.close, text: `${lead}${rendered.join(', ')}` },
    ]);
  }
  const itemIndent =
    (array.values[0] && indentBefore(joined, array.values[0].start)) ??
    `${closeIndent}    `;
  const insertions: Insertion[] = [
    {
      at: array.close - closeIndent.length,
      text: rendered.map(r => `${itemIndent}${r},${eol}`).join(''),
    },
  ];
  if (lastValue && !hasTrailingComma) {
    insertions.push({ at: lastValue.end, text: ',' });
  }
  return applyInsertions(joined, insertions);
}

// ---------------------------------------------------------------------------------------------
// Planning manifest edits
// ---------------------------------------------------------------------------------------------

/**
 * Plans npm dependencies in the service's `package.json`: merged into the existing file, or a
 * minimal private package named after the service when there is none.
 *
 * @internal
 */
export function planNpmDependencies(
  files: WorkspaceFiles,
  serviceName: string,
  dependencies: Record<string, string>,
): void {
  const created = `${JSON.stringify(
    {
      name: serviceName,
      version: '0.1.0',
      private: true,
      dependencies: Object.fromEntries(
        Object.entries(dependencies).sort(([a], [b]) =>
          a.localeCompare(b, 'en'),
        ),
      ),
    },
    null,
    2,
  )}\n`;
  files.plan('package.json', created, {
    merge: existing => addNpmDependencies(existing, dependencies),
  });
}

/**
 * Plans Python requirements where the service declares its dependencies: `pyproject.toml` when
 * it declares them there, and `requirements.txt` when it exists — both when both do — or a new
 * `requirements.txt` when neither does.
 *
 * @internal
 */
export async function planPythonRequirements(
  files: WorkspaceFiles,
  requirements: PythonRequirement[],
  logger: LoggerService,
): Promise<void> {
  const pyproject = await files.read('pyproject.toml');
  const merged =
    pyproject !== undefined && pyprojectDependencyStyle(pyproject) !== undefined
      ? addPyprojectDependencies(pyproject, requirements)
      : undefined;
  if (merged !== undefined && typeof merged !== 'string') {
    logger.warn(
      `Not adding ${requirements
        .map(r => r.name)
        .join(', ')} to pyproject.toml: ${
        merged.conflict
      }; using requirements.txt`,
    );
  }
  if (typeof merged === 'string') {
    files.plan('pyproject.toml', merged, {
      merge: existing => addPyprojectDependencies(existing, requirements),
    });
  }
  if (
    typeof merged !== 'string' ||
    (await files.read('requirements.txt')) !== undefined
  ) {
    files.plan('requirements.txt', addPythonRequirements('', requirements), {
      merge: existing => addPythonRequirements(existing, requirements),
    });
  }
}
