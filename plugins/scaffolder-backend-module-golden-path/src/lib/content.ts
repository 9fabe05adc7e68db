import {
  resolvePackagePath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTemplateRenderer, TemplateRenderError } from 'nunjitsu';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { readGoldenPathConfig } from '../config';

/*
 * Golden-path content: the files the `paved:*` actions write live as real files in content
 * sets, rendered like `fetch:template` skeletons. The layout, the manifest and the merge modes
 * are described in docs/architecture.md ("Golden-path content").
 */

/**
 * How a content file is merged into a repository that already has the file:
 *
 * - `create-only`: written when absent; an existing file is kept as it is, silently.
 * - `keep-if-present`: written when absent; an existing file with other content is kept and
 *   reported as skipped (replaced when the action's `overwrite` is true).
 * - `yaml-merge`: the top-level keys of ours that the existing YAML mapping lacks are added.
 * - `json-merge`: the keys of ours that the existing JSON object lacks are added, and for each
 *   key both have, the keys one level below; nothing the user set is changed.
 * - `npm-dependencies`: the dependency sections of ours (`dependencies`, `devDependencies`) are
 *   added to the existing package.json, keeping its layout.
 * - `npm-test-script`: our `scripts.test` is set in the existing package.json when it has no
 *   test script or npm's placeholder one.
 * - `lines`: the lines of ours that the existing file lacks are appended (ignore files).
 * - `dependabot-updates`: the `updates` entries of ours (by ecosystem and directory) that the
 *   existing Dependabot config lacks are added.
 * - `pipeline-jobs`: the jobs the checks do not find yet are added to the pipeline file.
 * - `by-action`: the action merges the file with logic of its own (such as capacity's bounds
 *   and quantities, which keep what the user set).
 * - `runbook-section`: the part of ours from its first `##` heading on is appended to the
 *   existing runbook, unless the runbook already has such a section.
 *
 * @internal
 */
export const MERGE_MODES = [
  'create-only',
  'keep-if-present',
  'yaml-merge',
  'json-merge',
  'npm-dependencies',
  'npm-test-script',
  'lines',
  'dependabot-updates',
  'pipeline-jobs',
  'by-action',
  'runbook-section',
] as const;

/** @internal */
export type MergeMode = (typeof MERGE_MODES)[number];

/** The name of the manifest file of each content set. */
export const MANIFEST_FILE = 'manifest.yaml';

/** The file of runtime versions and base images, at the root of the content directory. */
export const VERSIONS_FILE = 'versions.yaml';

const manifestSchema = z.strictObject({
  version: z
    .string()
    .regex(
      /^\d+\.\d+\.\d+$/,
      'must be a version like 1.0.0, bumped when the content changes',
    ),
  description: z.string().optional(),
  files: z.record(
    z.string().min(1),
    z.strictObject({
      merge: z.enum(MERGE_MODES),
      /** Why an existing file is kept (`keep-if-present`), for the log and the result; rendered. */
      reason: z.string().optional(),
    }),
  ),
});

/**
 * The manifest of a content set (`manifest.yaml`): its version and, per file (path relative to
 * the set, as written in the set, file names may hold `${{ values.x }}`), the merge mode.
 *
 * @internal
 */
export type ContentManifest = z.infer<typeof manifestSchema>;

/** One file of a content set, rendered. */
export type RenderedFile = {
  /** The id of the content set, such as `deploy/helm`. */
  set: string;
  /** The values it was rendered with (without `versions`, which are content). */
  values: Record<string, unknown>;
  /** The file's path in the content set, as written there. */
  source: string;
  /** The rendered path, relative to the service directory; empty when the file is left out. */
  path: string;
  content: string;
  merge: MergeMode;
  /** Why an existing file is kept (`keep-if-present`), from the manifest. */
  reason?: string;
};

/**
 * The runtime versions and base images every content set and the templates' skeletons use,
 * from `versions.yaml`, as `values.versions` when rendering.
 *
 * @internal
 */
export type RuntimeVersions = Record<string, string>;

// The scaffolder's fetch:template renderer and settings: `${{ values.x }}` variables, nunjucks
// blocks, regular expressions allowed (the templates are the platform team's, not the user's).
const renderer = createTemplateRenderer({ allowRegexExecution: true });

/**
 * Renders a template text with the scaffolder's `fetch:template` engine and syntax.
 *
 * @internal
 */
export function renderTemplate(
  text: string,
  values: Record<string, unknown>,
): string {
  return renderer.render(text, renderer.prepareContext({ values } as any));
}

function optionalRender(
  text: string | undefined,
  values: Record<string, unknown>,
): string | undefined {
  return text === undefined ? undefined : renderTemplate(text, values);
}

/** A file of a content location: a path below a directory, or below a URL. */
function locate(location: string, file: string): string {
  return /^https?:\/\//.test(location)
    ? `${location.replace(/\/+$/, '')}/${file}`
    : path.join(location, ...file.split('/'));
}

/** Every file below `dir`, relative, with `/` separators, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push(...listFiles(dir, rel));
    } else if (entry.isFile()) {
      out.push(rel);
    }
  }
  return out.sort();
}

/**
 * A content set: a directory with a `manifest.yaml` and the files it lists, such as
 * `content/deploy/helm`.
 *
 * @internal
 */
export class ContentSet {
  readonly id: string;
  /** Where the set is, as errors name it: its directory, or its URL when read through one. */
  readonly location: string;
  readonly manifest: ContentManifest;
  readonly #templates: Map<string, string>;
  readonly #versions: RuntimeVersions;

  private constructor(options: {
    id: string;
    location: string;
    manifest: ContentManifest;
    templates: Map<string, string>;
    versions: RuntimeVersions;
  }) {
    this.id = options.id;
    this.location = options.location;
    this.manifest = options.manifest;
    this.#templates = options.templates;
    this.#versions = options.versions;
  }

  /**
   * Reads a content set and checks that its manifest is well formed and lists exactly the
   * files of the directory; errors name the file.
   */
  static read(options: {
    id: string;
    dir: string;
    /** The set's location in errors, such as the URL it was read from; default `dir`. */
    location?: string;
    versions: RuntimeVersions;
  }): ContentSet {
    const { id, dir } = options;
    const location = options.location ?? dir;
    const where = (file: string) => locate(location, file);
    const manifestPath = where(MANIFEST_FILE);
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
      throw new InputError(
        `Golden-path content '${id}' has no ${MANIFEST_FILE} (${manifestPath})`,
      );
    }
    let raw: unknown;
    try {
      raw = parseYaml(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
    } catch (error) {
      throw new InputError(
        `${manifestPath} is not valid YAML: ${(error as Error).message}`,
      );
    }
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${manifestPath}: '${issue.path.join('.') || '(root)'}' ${
          issue.message
        }`,
      );
    }
    const manifest = parsed.data;
    const present = listFiles(dir).filter(f => f !== MANIFEST_FILE);
    const unlisted = present.filter(f => !(f in manifest.files));
    if (unlisted.length > 0) {
      throw new InputError(
        `${where(unlisted[0])} is not listed in ${manifestPath}`,
      );
    }
    const templates = new Map<string, string>();
    for (const file of Object.keys(manifest.files)) {
      const full = path.join(dir, file);
      if (!present.includes(file)) {
        throw new InputError(
          `${manifestPath} lists '${file}', which is not a file of ${location}`,
        );
      }
      templates.set(file, fs.readFileSync(full, 'utf8'));
    }
    return new ContentSet({
      id,
      location,
      manifest,
      templates,
      versions: options.versions,
    });
  }

  /** The values a file is rendered with: the action's values and `versions`. */
  #context(values: Record<string, unknown>): Record<string, unknown> {
    return { ...values, versions: this.#versions };
  }

  /** Renders one file of the set (its path as written in the set). */
  renderFile(source: string, values: Record<string, unknown>): RenderedFile {
    const template = this.#templates.get(source);
    if (template === undefined) {
      throw new Error(`Golden-path content '${this.id}' has no file ${source}`);
    }
    const context = this.#context(values);
    try {
      const rendered = renderTemplate(source, context);
      return {
        set: this.id,
        values,
        source,
        // Empty when a part of the name renders to nothing: the file is left out. `./x` is `x`.
        path: rendered.split('/').some(part => part === '')
          ? ''
          : path.posix.normalize(rendered),
        content: renderTemplate(template, context),
        merge: this.manifest.files[source].merge,
        reason: optionalRender(this.manifest.files[source].reason, context),
      };
    } catch (error) {
      throw new InputError(
        `${locate(this.location, source)} does not render: ${
          (error as Error).message
        }`,
      );
    }
  }

  /**
   * Checks, without the action's values, that every file (name and content) parses and that
   * its manifest's `reason`s do: errors naming the file. An error that needs the values to
   * decide (such as `"test" in values.jobs` without `jobs`) is left to the run, which renders
   * with them.
   */
  check(): void {
    const context = this.#context({});
    for (const [source, template] of this.#templates) {
      for (const text of [
        source,
        template,
        this.manifest.files[source].reason,
      ]) {
        try {
          optionalRender(text, context);
        } catch (error) {
          if (
            error instanceof TemplateRenderError &&
            error.code === 'evaluation_error'
          ) {
            continue;
          }
          throw new InputError(
            `${locate(this.location, source)} does not render: ${
              (error as Error).message
            }`,
          );
        }
      }
    }
  }

  /**
   * Renders every file of the set. A file whose rendered path is empty (its name renders to
   * nothing, as `fetch:template` skips such entries) is left out, so that a file can be
   * conditional on the values.
   */
  render(values: Record<string, unknown>): RenderedFile[] {
    return Object.keys(this.manifest.files)
      .map(source => this.renderFile(source, values))
      .filter(file => file.path !== '');
  }
}

let builtIn: GoldenPathContent | undefined;

/**
 * One layer of the platform team's content on disk, and what it replaces.
 *
 * @internal
 */
export type ContentLayer = {
  /** `''` the whole content, a capability such as `deploy`, or a variant such as `deploy/helm`. */
  scope: string;
  /** The directory on disk. */
  directory: string;
  /** Where the layer is, as errors name it (such as the URL it was read from); default `directory`. */
  location?: string;
  /** The configuration key or the module it comes from, named in errors. */
  key?: string;
};

/**
 * Golden-path content: the content sets below one directory and the runtime versions of its
 * `versions.yaml`.
 *
 * @internal
 */
export class GoldenPathContent {
  readonly root: string;
  readonly versions: RuntimeVersions;
  readonly #sets = new Map<string, ContentSet>();
  /** The content sets replaced by the platform team's, by id. */
  readonly #overrides = new Map<string, ContentSet>();

  private constructor(root: string, versions: RuntimeVersions) {
    this.root = root;
    this.versions = versions;
  }

  /**
   * This content with the platform team's content of `directory` laid over it: each set there
   * replaces ours, and its `versions.yaml` (optional) overrides the versions it names. See
   * {@link GoldenPathContent.withLayers}.
   */
  withOverrides(directory: string): GoldenPathContent {
    return this.withLayers([{ scope: '', directory }]);
  }

  /**
   * This content with the platform team's layers laid over it, later layers over earlier ones:
   * a whole-content layer's sets replace ours and its `versions.yaml` (optional) overrides the
   * versions it names; a capability layer (`deploy`) holds `<variant>/manifest.yaml` sets; a
   * variant layer (`deploy/helm`) is one set. Checked at once, with errors naming the file (at
   * its URL when read through one): every set is one the actions render, its manifest is well
   * formed and lists its files, it keeps each file the actions address by name
   * (`pipeline-jobs` and `by-action` files) and every file parses ({@link ContentSet.check}).
   */
  withLayers(layers: ContentLayer[]): GoldenPathContent {
    let versions = this.versions;
    for (const layer of layers) {
      const location = layer.location ?? layer.directory;
      if (
        !fs.existsSync(layer.directory) ||
        !fs.statSync(layer.directory).isDirectory()
      ) {
        throw new InputError(
          `Golden-path content directory ${location}${
            layer.key ? ` (${layer.key})` : ''
          } does not exist`,
        );
      }
      if (
        layer.scope === '' &&
        fs.existsSync(path.join(layer.directory, VERSIONS_FILE))
      ) {
        versions = { ...versions, ...readVersions(layer.directory, location) };
      }
    }
    const merged = new GoldenPathContent(this.root, versions);
    const known = this.setIds();
    for (const layer of layers) {
      for (const found of this.#setsOf(layer, known)) {
        const manifestPath = locate(found.location, MANIFEST_FILE);
        if (!known.includes(found.id)) {
          throw new InputError(
            `${manifestPath}: '${
              found.id
            }' is not a golden-path content set the actions render; they render ${known.join(
              ', ',
            )}`,
          );
        }
        const set = ContentSet.read({ ...found, versions });
        const ours = this.set(found.id).manifest.files;
        for (const [file, { merge }] of Object.entries(ours)) {
          if (
            (merge === 'pipeline-jobs' || merge === 'by-action') &&
            set.manifest.files[file]?.merge !== merge
          ) {
            throw new InputError(
              `${manifestPath} must list '${file}' with merge ${merge}: the action renders it by name`,
            );
          }
        }
        // Every file parses; what depends on the values is rendered at run time.
        set.check();
        merged.#overrides.set(found.id, set);
      }
    }
    return merged;
  }

  /** The content sets a layer holds: their ids, directories and locations. */
  #setsOf(
    layer: ContentLayer,
    known: string[],
  ): Array<{ id: string; dir: string; location: string }> {
    const location = layer.location ?? layer.directory;
    const named = layer.key ? ` (${layer.key})` : '';
    if (layer.scope.includes('/')) {
      if (!known.includes(layer.scope)) {
        throw new InputError(
          `Golden-path content ${location}${named}: '${
            layer.scope
          }' is not a golden-path content set the actions render; they render ${known.join(
            ', ',
          )}`,
        );
      }
      return [{ id: layer.scope, dir: layer.directory, location }];
    }
    if (layer.scope !== '') {
      const capabilities = [...new Set(known.map(id => id.split('/')[0]))];
      if (!capabilities.includes(layer.scope)) {
        throw new InputError(
          `Golden-path content ${location}${named}: '${
            layer.scope
          }' is not a capability with golden-path content; use one of ${capabilities.join(
            ', ',
          )}`,
        );
      }
    }
    const prefix = layer.scope === '' ? '' : `${layer.scope}/`;
    return GoldenPathContent.#setIdsIn(layer.directory).map(sub => ({
      id: `${prefix}${sub}`,
      dir: path.join(layer.directory, ...sub.split('/')),
      location: locate(location, sub),
    }));
  }

  /** The content this package ships, in its `content` directory. */
  static builtIn(): GoldenPathContent {
    builtIn ??= GoldenPathContent.fromDirectory(
      resolvePackagePath(
        '@paved/plugin-scaffolder-backend-module-golden-path',
        'content',
      ),
    );
    return builtIn;
  }

  /** The content of a directory that holds `versions.yaml` and the content sets. */
  static fromDirectory(root: string): GoldenPathContent {
    return new GoldenPathContent(root, readVersions(root));
  }

  /** A content set by id, such as `deploy/helm`; read once. */
  set(id: string): ContentSet {
    const override = this.#overrides.get(id);
    if (override) {
      return override;
    }
    let set = this.#sets.get(id);
    if (!set) {
      set = ContentSet.read({
        id,
        dir: path.join(this.root, ...id.split('/')),
        versions: this.versions,
      });
      this.#sets.set(id, set);
    }
    return set;
  }

  /** The ids of every content set below the root (every directory with a manifest). */
  setIds(): string[] {
    return GoldenPathContent.#setIdsIn(this.root);
  }

  /** The ids of the sets replaced by the platform team's content. */
  overriddenSetIds(): string[] {
    return [...this.#overrides.keys()];
  }

  static #setIdsIn(root: string): string[] {
    return listFiles(root)
      .filter(f => f.endsWith(`/${MANIFEST_FILE}`))
      .map(f => f.slice(0, -MANIFEST_FILE.length - 1));
  }
}

const versionsSchema = z.record(
  z.string().regex(/^[a-zA-Z][\w-]*$/, 'is not a valid name'),
  z.union([z.string().min(1), z.number()]).transform(String),
);

/**
 * Reads `versions.yaml`: a flat mapping of names to versions or image references.
 *
 * @internal
 */
export function readVersions(root: string, location = root): RuntimeVersions {
  const file = path.join(root, VERSIONS_FILE);
  const named = locate(location, VERSIONS_FILE);
  if (!fs.existsSync(file)) {
    throw new InputError(
      `Golden-path content ${location} has no ${VERSIONS_FILE}`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      `${named} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const parsed = versionsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `${named}: '${issue.path.join('.') || '(root)'}' ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * The content the actions render with this config: the package's own, with the platform team's
 * local directories of `goldenPath.content` laid over it, read and checked each time an action
 * is created (see {@link GoldenPathContent.withLayers}), so at start-up. Content at a URL is
 * read by the module at start-up ({@link loadGoldenPathContent}), which hands it to the actions.
 *
 * @throws InputError naming the key or the file, which stops the module at start
 * @internal
 */
export function goldenPathContent(config?: Config): GoldenPathContent {
  const sources = config ? readGoldenPathConfig(config).content.sources : [];
  if (sources.length === 0) {
    return GoldenPathContent.builtIn();
  }
  const remote = sources.find(source => source.url !== undefined);
  if (remote) {
    throw new InputError(
      `Invalid configuration at '${remote.key}': content at a URL is read when the golden-path module starts; actions created without the module read local directories only`,
    );
  }
  return GoldenPathContent.builtIn().withLayers(
    sources.map(source => ({
      scope: source.scope,
      directory: source.directory!,
      key: source.key,
    })),
  );
}

/**
 * Content a backend module contributed through the golden-path content extension point: a
 * directory, or files written to a temporary one at start-up.
 *
 * @internal
 */
export type ContributedContent = {
  scope: string;
  /** Names the contribution in errors. */
  key: string;
  directory?: string;
  files?: Record<string, string>;
};

/**
 * Loads the content the actions render, once, when the module starts: the package's own, then
 * the content modules contributed, then `goldenPath.content` (the whole content, each
 * capability, each variant), each later layer over the earlier ones. Content at a URL is read
 * with the URL reader (`readTree`) into a temporary directory, checked like a local directory
 * and named by its URL in errors; it is not read again until the backend restarts (see
 * docs/architecture.md, "Golden-path content").
 *
 * @throws InputError naming the key, the URL or the file, which stops the module at start
 * @internal
 */
export async function loadGoldenPathContent(options: {
  config: Config;
  urlReader: UrlReaderService;
  contributed?: ContributedContent[];
}): Promise<GoldenPathContent> {
  const { sources } = readGoldenPathConfig(options.config).content;
  const contributed = options.contributed ?? [];
  if (sources.length === 0 && contributed.length === 0) {
    return GoldenPathContent.builtIn();
  }
  const temporary: string[] = [];
  try {
    const temporaryDirectory = async () => {
      const dir = await fs.promises.mkdtemp(
        path.join(os.tmpdir(), 'paved-golden-path-content-'),
      );
      temporary.push(dir);
      return dir;
    };
    const layers: ContentLayer[] = [];
    for (const content of contributed) {
      if (content.directory !== undefined) {
        layers.push({ ...content, directory: content.directory });
        continue;
      }
      const directory = await temporaryDirectory();
      for (const [file, text] of Object.entries(content.files ?? {})) {
        const target = path.resolve(directory, file);
        if (!target.startsWith(`${directory}${path.sep}`)) {
          throw new InputError(
            `Golden-path content of ${content.key}: '${file}' is not a path inside the content`,
          );
        }
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, text);
      }
      layers.push({
        scope: content.scope,
        directory,
        location: content.key,
        key: content.key,
      });
    }
    for (const source of sources) {
      if (source.directory !== undefined) {
        layers.push({
          scope: source.scope,
          directory: source.directory,
          key: source.key,
        });
        continue;
      }
      const directory = await temporaryDirectory();
      try {
        const tree = await options.urlReader.readTree(source.url!);
        await tree.dir({ targetDir: directory });
      } catch (error) {
        throw new InputError(
          `Cannot read the golden-path content at ${source.url} (${
            source.key
          }): ${(error as Error).message}`,
        );
      }
      layers.push({
        scope: source.scope,
        directory,
        location: source.url,
        key: source.key,
      });
    }
    // The sets are read into memory here, so the temporary directories can go.
    return GoldenPathContent.builtIn().withLayers(layers);
  } finally {
    await Promise.all(
      temporary.map(dir =>
        fs.promises.rm(dir, { recursive: true, force: true }),
      ),
    );
  }
}
