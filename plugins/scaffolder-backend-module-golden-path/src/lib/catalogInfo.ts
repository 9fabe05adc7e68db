import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  KindValidator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import path from 'node:path';
import { Document, isMap, isSeq, parseAllDocuments, YAMLMap } from 'yaml';
import type { WorkspaceFiles } from './workspace';
import { sequenceStrings } from './yamlNodes';

/**
 * The catalog descriptor file the golden paths write, relative to the
 * service directory.
 *
 * @internal
 */
export const CATALOG_INFO_FILE = 'catalog-info.yaml';

/** The `apiVersion` of the built-in entity kinds. */
const BACKSTAGE_API_VERSION = 'backstage.io/v1alpha1';

/**
 * The relation fields of `spec` that hold lists of entity refs, with the
 * kind a bare name in them defaults to (as the catalog's processor reads
 * them; `dependsOn` has no default and needs a kind).
 *
 * @internal
 */
export const RELATION_FIELDS = {
  dependsOn: undefined,
  dependencyOf: undefined,
  providesApis: 'api',
  consumesApis: 'api',
} as const;

/**
 * A relation field of `spec` holding a list of entity refs.
 *
 * @internal
 */
export type RelationField = keyof typeof RELATION_FIELDS;

/** Entity names, namespaces and kinds as the catalog's default policy accepts them. */
const ENTITY_NAME = /^[A-Za-z0-9](?:[-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/**
 * Parses an entity ref given as an action input and returns it in full form
 * (`kind:namespace/name`, lower-case kind).
 *
 * @param inputName - the input, named in the error
 * @param value - the ref, e.g. `team-a`, `group:team-a`, `group:platform/team-a`
 * @param options - the kind and namespace of a ref that omits them, and the
 *   kinds allowed (lower-case)
 * @throws InputError naming the input when the ref is malformed, its parts
 *   are not valid entity names, or its kind is not allowed
 * @internal
 */
export function normalizeEntityRef(
  inputName: string,
  value: string,
  options: {
    defaultKind?: string;
    defaultNamespace?: string;
    allowedKinds?: readonly string[];
  } = {},
): string {
  const trimmed = value.trim();
  let ref;
  try {
    ref = parseEntityRef(trimmed, {
      defaultKind: options.defaultKind,
      defaultNamespace: options.defaultNamespace ?? 'default',
    });
  } catch (error) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not an entity ref (expected [kind:][namespace/]name${
        options.defaultKind ? '' : ' with a kind, such as resource:orders-db'
      })`,
    );
  }
  const kind = ref.kind.toLowerCase();
  for (const [part, text] of [
    ['kind', ref.kind],
    ['namespace', ref.namespace],
    ['name', ref.name],
  ] as const) {
    if (!ENTITY_NAME.test(text) || (part !== 'name' && text.includes('.'))) {
      throw new InputError(
        `Invalid input '${inputName}': '${value}' has an invalid ${part} '${text}' (letters, digits, '-', '_' and '.', at most 63 characters)`,
      );
    }
  }
  if (options.allowedKinds && !options.allowedKinds.includes(kind)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is a ${kind}, but must be one of ${options.allowedKinds.join(
        ', ',
      )}`,
    );
  }
  return `${kind}:${ref.namespace.toLowerCase()}/${ref.name}`;
}

/**
 * Checks that a value is a valid catalog entity name.
 *
 * @throws InputError naming the input
 * @internal
 */
export function validateEntityName(inputName: string, value: string): string {
  if (!ENTITY_NAME.test(value)) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' is not a valid entity name (letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters)`,
    );
  }
  return value;
}

/**
 * One entity document of a `catalog-info.yaml`, edited in place so that the
 * user's keys, order and comments survive. Every setter changes the document
 * only when the value differs, and reports whether it did.
 *
 * @internal
 */
export class EntityDocument {
  readonly #doc: Document;
  readonly #onChange: () => void;

  /** @internal */
  constructor(doc: Document, onChange: () => void) {
    this.#doc = doc;
    this.#onChange = onChange;
  }

  /** The entity's kind as written. */
  get kind(): string {
    return String(this.#doc.get('kind') ?? '');
  }

  /** The entity's `metadata.name`. */
  get name(): string {
    return String(this.#doc.getIn(['metadata', 'name']) ?? '');
  }

  /** The entity's `metadata.namespace`, default `default`. */
  get namespace(): string {
    return String(this.#doc.getIn(['metadata', 'namespace']) ?? 'default');
  }

  /** The full ref of this entity, `kind:namespace/name` (lower-case kind). */
  get ref(): string {
    return `${this.kind.toLowerCase()}:${this.namespace}/${this.name}`;
  }

  /** The plain value at a path, e.g. `['spec', 'owner']`. */
  get(keyPath: readonly string[]): unknown {
    const value = this.#doc.getIn(keyPath);
    return value && typeof value === 'object' && 'toJSON' in value
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  }

  /**
   * Sets the value at a path, creating intermediate maps.
   *
   * @param options - `ifAbsent`: only set when the path has no value yet (for
   *   defaults that must not override the user's choice)
   * @returns whether the document changed
   */
  set(
    keyPath: readonly string[],
    value: unknown,
    options: { ifAbsent?: boolean } = {},
  ): boolean {
    const current = this.get(keyPath);
    if (current !== undefined && current !== null && options.ifAbsent) {
      return false;
    }
    if (JSON.stringify(current) === JSON.stringify(value)) {
      return false;
    }
    this.#ensureMaps(keyPath.slice(0, -1));
    this.#doc.setIn(keyPath, this.#doc.createNode(value));
    this.#onChange();
    return true;
  }

  /**
   * Sets an entity-ref field (such as `spec.owner` or `spec.system`) unless it
   * already refers to the same entity, so that a user's short form
   * (`owner: team-a`) is kept when it means the given ref.
   *
   * @param ref - the full ref to set
   * @param defaultKind - the kind a short form in the field defaults to
   * @returns whether the document changed
   */
  setRef(
    keyPath: readonly string[],
    ref: string,
    defaultKind: string,
  ): boolean {
    const current = this.get(keyPath);
    if (
      typeof current === 'string' &&
      sameRef(current, ref, defaultKind, this.namespace)
    ) {
      return false;
    }
    return this.set(keyPath, ref);
  }

  /**
   * Sets an annotation.
   *
   * @returns whether the document changed
   */
  setAnnotation(
    key: string,
    value: string,
    options: { ifAbsent?: boolean } = {},
  ): boolean {
    return this.set(['metadata', 'annotations', key], value, options);
  }

  /**
   * Appends entity refs to a relation list of `spec` (such as `dependsOn`),
   * skipping refs the list already holds in any spelling (`api:orders` and
   * `api:default/orders` are the same ref).
   *
   * @returns whether the document changed
   */
  addRelations(field: RelationField, refs: readonly string[]): boolean {
    const defaultKind = RELATION_FIELDS[field];
    const keyPath = ['spec', field];
    const existing = this.#doc.getIn(keyPath);
    const present = sequenceStrings(existing);
    const missing: string[] = [];
    for (const ref of refs) {
      const known = [...present, ...missing].some(p =>
        sameRef(p, ref, defaultKind, this.namespace),
      );
      if (!known) {
        missing.push(ref);
      }
    }
    if (missing.length === 0) {
      return false;
    }
    if (isSeq(existing)) {
      for (const ref of missing) {
        existing.add(this.#doc.createNode(ref));
      }
    } else {
      this.#ensureMaps(['spec']);
      this.#doc.setIn(keyPath, this.#doc.createNode(missing));
    }
    this.#onChange();
    return true;
  }

  /** The entity as plain data. */
  toEntity(): Entity {
    return this.#doc.toJS() as Entity;
  }

  #ensureMaps(keyPath: readonly string[]) {
    for (let i = 1; i <= keyPath.length; i++) {
      const prefix = keyPath.slice(0, i);
      if (!isMap(this.#doc.getIn(prefix))) {
        this.#doc.setIn(prefix, new YAMLMap());
      }
    }
  }
}

function sameRef(
  a: string,
  b: string,
  defaultKind: string | undefined,
  defaultNamespace: string,
): boolean {
  const normalize = (ref: string) => {
    try {
      const parsed = parseEntityRef(ref.trim(), {
        defaultKind,
        defaultNamespace,
      });
      return `${parsed.kind.toLowerCase()}:${parsed.namespace.toLowerCase()}/${parsed.name.toLowerCase()}`;
    } catch {
      return ref.trim().toLowerCase();
    }
  };
  return normalize(a) === normalize(b);
}

/**
 * Defaults of a Component created by {@link CatalogInfo.ensureComponent}.
 *
 * @internal
 */
export type ComponentDefaults = {
  /** The Component's name (required when the file has no Component). */
  name?: string;
  /** Full owner ref; `unknown` when absent (the ownership check then fails). */
  owner?: string;
  /** `spec.type`, default `service`. */
  type?: string;
  /** `spec.lifecycle`, default `experimental`. */
  lifecycle?: string;
};

/**
 * A parsed `catalog-info.yaml` (one or more YAML documents), edited with the
 * `yaml` package's Document API so that everything the user wrote that is
 * not edited — keys, order, comments, other documents — is kept. When
 * nothing was changed, {@link CatalogInfo.toString} returns the original text
 * byte for byte.
 *
 * @internal
 */
export class CatalogInfo {
  readonly #documents: Document[];
  readonly #original: string | undefined;
  #changed = false;

  private constructor(documents: Document[], original: string | undefined) {
    this.#documents = documents;
    this.#original = original;
  }

  /**
   * Parses the text of a catalog file.
   *
   * @throws InputError when the text is not valid YAML or a document is not a
   *   mapping
   */
  static parse(text: string, fileName = CATALOG_INFO_FILE): CatalogInfo {
    const documents = parseAllDocuments(text, { keepSourceTokens: false });
    if (!Array.isArray(documents)) {
      return new CatalogInfo([], text);
    }
    for (const doc of documents) {
      const [error] = doc.errors;
      if (error) {
        throw new InputError(
          `${fileName} is not valid YAML: ${error.message.split('\n')[0]}`,
        );
      }
      if (doc.contents !== null && !isMap(doc.contents)) {
        throw new InputError(
          `${fileName} holds a YAML document that is not an entity (a mapping)`,
        );
      }
    }
    return new CatalogInfo(
      documents.filter(doc => doc.contents !== null),
      text,
    );
  }

  /** A catalog file with no entities yet. */
  static empty(): CatalogInfo {
    return new CatalogInfo([], undefined);
  }

  /** Whether any edit changed the file. */
  get changed(): boolean {
    return this.#changed;
  }

  /** The entity documents, in file order. */
  get entities(): EntityDocument[] {
    return this.#documents.map(doc => this.#wrap(doc));
  }

  /**
   * Finds an entity by kind (case-insensitive) and, when given, name.
   */
  find(kind: string, name?: string): EntityDocument | undefined {
    return this.entities.find(
      e =>
        e.kind.toLowerCase() === kind.toLowerCase() &&
        (name === undefined || e.name === name),
    );
  }

  /**
   * Finds an entity of the kind and name, or appends a new document with
   * `apiVersion`, `kind`, `metadata.name` (and `metadata.namespace` when not
   * `default`).
   */
  upsert(kind: string, name: string, namespace = 'default'): EntityDocument {
    const found = this.entities.find(
      e =>
        e.kind.toLowerCase() === kind.toLowerCase() &&
        e.name === name &&
        e.namespace === namespace,
    );
    if (found) {
      return found;
    }
    const doc = new Document({
      apiVersion: BACKSTAGE_API_VERSION,
      kind,
      metadata: namespace === 'default' ? { name } : { name, namespace },
    });
    this.#documents.push(doc);
    this.#changed = true;
    return this.#wrap(doc);
  }

  /**
   * The service's Component: the one named `defaults.name` when given, else
   * the only Component in the file. When there is none, a Component is
   * appended with `defaults` (type `service`, lifecycle `experimental`,
   * owner `unknown` unless given).
   *
   * @throws InputError naming the `name` input when it is needed: the file
   *   has no Component and no name is given, or several Components and no
   *   name says which one
   */
  ensureComponent(defaults: ComponentDefaults = {}): EntityDocument {
    const components = this.entities.filter(
      e => e.kind.toLowerCase() === 'component',
    );
    if (defaults.name !== undefined) {
      const named = components.find(c => c.name === defaults.name);
      if (named) {
        return named;
      }
    } else if (components.length === 1) {
      return components[0];
    } else if (components.length > 1) {
      throw new InputError(
        `Input 'name' is required: ${CATALOG_INFO_FILE} has several Components (${components
          .map(c => c.name)
          .join(', ')})`,
      );
    }
    if (defaults.name === undefined) {
      throw new InputError(
        `Input 'name' is required: ${CATALOG_INFO_FILE} has no Component to add to`,
      );
    }
    const component = this.upsert('Component', defaults.name);
    component.set(['spec', 'type'], defaults.type ?? 'service', {
      ifAbsent: true,
    });
    component.set(['spec', 'lifecycle'], defaults.lifecycle ?? 'experimental', {
      ifAbsent: true,
    });
    component.set(['spec', 'owner'], defaults.owner ?? 'unknown', {
      ifAbsent: true,
    });
    return component;
  }

  /** Every entity as plain data. */
  toEntities(): Entity[] {
    return this.entities.map(e => e.toEntity());
  }

  /**
   * The file's text: the original text when nothing changed, else every
   * document stringified (documents after the first separated by `---`).
   */
  toString(): string {
    if (!this.#changed && this.#original !== undefined) {
      return this.#original;
    }
    return this.#documents
      .map((doc, index) => {
        if (index > 0) {
          doc.directives!.docStart = true;
        }
        return doc.toString({ lineWidth: 0 });
      })
      .join('');
  }

  #wrap(doc: Document): EntityDocument {
    return new EntityDocument(doc, () => {
      this.#changed = true;
    });
  }
}

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const KIND_VALIDATORS: Record<string, KindValidator> = {
  api: apiEntityV1alpha1Validator,
  component: componentEntityV1alpha1Validator,
  domain: domainEntityV1alpha1Validator,
  group: groupEntityV1alpha1Validator,
  location: locationEntityV1alpha1Validator,
  resource: resourceEntityV1alpha1Validator,
  system: systemEntityV1alpha1Validator,
  user: userEntityV1alpha1Validator,
};

/**
 * A copy of the entity where every substitution placeholder (`$text`,
 * `$json`, `$yaml`, as in `definition: { $text: ./openapi.yaml }`) stands as
 * a string, since the catalog resolves them before it validates.
 */
function withPlaceholdersResolved(entity: Entity): Entity {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(resolve);
    }
    if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1 && /^\$(?:text|json|yaml)$/.test(keys[0])) {
        return `placeholder ${keys[0]}`;
      }
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, resolve(v)]),
      );
    }
    return value;
  };
  return resolve(entity) as Entity;
}

/**
 * Validates entities as the catalog does when it ingests them: the default
 * entity policies (envelope, field formats, schema), then the kind's own
 * schema for the built-in `backstage.io/v1alpha1` kinds. Entities of other
 * kinds or API versions (the user's own) pass the policies only.
 *
 * @throws InputError naming the entity and the problem
 * @internal
 */
export async function validateEntities(
  entities: readonly Entity[],
  fileName = CATALOG_INFO_FILE,
): Promise<void> {
  for (const entity of entities) {
    const label = `${entity?.kind ?? 'entity'} '${
      entity?.metadata?.name ?? '?'
    }'`;
    try {
      const checked = await policy.enforce(withPlaceholdersResolved(entity));
      const validator =
        checked?.apiVersion === BACKSTAGE_API_VERSION
          ? KIND_VALIDATORS[checked.kind.toLowerCase()]
          : undefined;
      if (validator && !(await validator.check(checked!))) {
        throw new Error(`unexpected kind ${checked!.kind}`);
      }
    } catch (error) {
      throw new InputError(
        `${fileName}: ${label} is not a valid entity: ${
          (error as Error).message
        }`,
      );
    }
  }
}

/**
 * Options of {@link planCatalogInfo}.
 *
 * @internal
 */
export type PlanCatalogInfoOptions = {
  /** The catalog file, relative to the service directory; default `catalog-info.yaml`. */
  fileName?: string;
  /**
   * Start from an empty file when the existing one is not valid YAML (the
   * action's `overwrite` input); it is then replaced only when the workspace
   * was created with `overwrite: true`, and skipped otherwise.
   */
  replaceInvalid?: boolean;
};

/**
 * Plans an edit of the service's `catalog-info.yaml`: reads the file (or
 * starts an empty one), applies `edit`, validates every entity with
 * `@backstage/catalog-model`, and plans the result on `files`. Nothing is
 * written until `files.apply()`; an invalid result throws here.
 *
 * @param files - the workspace
 * @param edit - changes the catalog file, for example with
 *   `catalog.ensureComponent({ name }).setAnnotation(...)`
 * @returns the edited catalog file (for outputs such as the entity ref)
 * @throws InputError when the existing file is not valid YAML (unless
 *   `replaceInvalid`) or an entity is invalid after the edit
 * @internal
 */
export async function planCatalogInfo(
  files: WorkspaceFiles,
  edit: (catalog: CatalogInfo) => void,
  options: PlanCatalogInfoOptions = {},
): Promise<CatalogInfo> {
  const fileName = options.fileName ?? CATALOG_INFO_FILE;
  const existing = await files.read(fileName);
  let catalog = CatalogInfo.empty();
  let replaced: string | undefined;
  if (existing !== undefined) {
    try {
      catalog = CatalogInfo.parse(existing, fileName);
    } catch (error) {
      if (!options.replaceInvalid) {
        throw error;
      }
      replaced = (error as Error).message;
    }
  }
  edit(catalog);
  await validateEntities(catalog.toEntities(), fileName);
  const content = catalog.toString();
  files.plan(fileName, content, {
    merge: () => (replaced ? { conflict: replaced } : content),
  });
  return catalog;
}

/**
 * A name for the service when the `name` input is absent: the name in
 * `package.json` (without its scope), the `name` in `pyproject.toml`, the
 * last element of the module path in `go.mod`, else the name of the `path`
 * directory when it is not the workspace itself — lower-cased and reduced to a DNS label.
 *
 * @returns the name, or `undefined` when nothing gives a usable one
 * @internal
 */
export async function guessServiceName(
  files: WorkspaceFiles,
): Promise<string | undefined> {
  const candidates: Array<string | undefined> = [];
  const packageJson = await files.read('package.json');
  if (packageJson) {
    try {
      const name = JSON.parse(packageJson)?.name;
      candidates.push(
        typeof name === 'string' ? name.replace(/^@[^/]+\//, '') : undefined,
      );
    } catch {
      // An unparsable package.json gives no name; the other sources may.
    }
  }
  const pyproject = await files.read('pyproject.toml');
  candidates.push(pyproject?.match(/^name\s*=\s*["']([^"']+)["']/m)?.[1]);
  const goMod = await files.read('go.mod');
  candidates.push(
    goMod
      ?.match(/^module\s+(\S+)/m)?.[1]
      .split('/')
      .pop(),
  );
  if (files.root !== files.workspacePath) {
    // The workspace itself is named after the task id, which is no name.
    candidates.push(path.basename(files.root));
  }
  for (const candidate of candidates) {
    const label = candidate
      ?.toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/, '');
    if (label) {
      return label;
    }
  }
  return undefined;
}

/**
 * The Component of the existing catalog file (named, or the only one), read without editing.
 *
 * @internal
 */
export async function existingComponent(
  files: WorkspaceFiles,
  name: string | undefined,
): Promise<Entity | undefined> {
  const text = await files.read(CATALOG_INFO_FILE);
  if (text === undefined) {
    return undefined;
  }
  let entities: Entity[];
  try {
    entities = CatalogInfo.parse(text).toEntities();
  } catch {
    // planCatalogInfo reports the invalid file.
    return undefined;
  }
  const components = entities.filter(
    e => e.kind?.toLowerCase() === 'component',
  );
  if (name !== undefined) {
    return components.find(c => c.metadata?.name === name);
  }
  return components.length === 1 ? components[0] : undefined;
}

/**
 * The service an action adds a capability to: its existing Component, if any, and its name (the
 * `name` input, else the Component's, else {@link guessServiceName}).
 *
 * @throws InputError naming the `name` input when nothing names the service
 * @internal
 */
export async function serviceComponent(
  files: WorkspaceFiles,
  name: string | undefined,
): Promise<{ component?: Entity; serviceName: string }> {
  const component = await existingComponent(files, name);
  const serviceName =
    name ?? component?.metadata.name ?? (await guessServiceName(files));
  if (!serviceName) {
    throw new InputError(
      `Input 'name' is required: ${CATALOG_INFO_FILE} has no single Component and no package.json, pyproject.toml or go.mod names the service`,
    );
  }
  return { component, serviceName };
}
