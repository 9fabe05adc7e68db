export interface Config {
  /**
   * Paved's golden paths: the rules `paved:policy:check` enforces and where `paved:publish:local`
   * publishes. Validated when the backend starts; unknown keys are errors. The scaffolder actions
   * also read `scaffolder.defaultAuthor` and `scaffolder.defaultCommitMessage` (commits of
   * `paved:publish:local`) and the `platformMaturity` ruleset (`paved:maturity:verify`).
   */
  goldenPath?: {
    /** The paved road: what a new service's template inputs must follow. */
    policy?: {
      /**
       * The stacks templates may use: `node` (TypeScript/Node.js), `go`, `python`.
       * Default: all of them.
       */
      allowedStacks?: Array<'node' | 'go' | 'python'>;
      /**
       * The CI providers templates may use: `github-actions`, `gitlab-ci`. Default: all of them.
       */
      allowedCiProviders?: Array<'github-actions' | 'gitlab-ci'>;
      /**
       * The regular expression service names must match. Default: a DNS label,
       * `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`. Names are also limited to 63 characters and must be
       * valid catalog entity names, whatever the pattern.
       */
      namePattern?: string;
      /**
       * The naming rule in words, shown by the template form and in errors instead of
       * `namePattern` (for example "svc- followed by lower-case letters"). The default pattern
       * has its own wording.
       */
      namePatternDescription?: string;
    };
    /** Local publishing, for trials and air-gapped demos. */
    localPublish?: {
      /**
       * The absolute directory `paved:publish:local` publishes repositories under (one directory
       * per repository, created when missing) and `paved:fetch:local` fetches them from. When
       * unset, both actions fail with a message naming this key. The catalog must accept `file`
       * locations for the published catalog files to be registered.
       */
      root?: string;
    };
    /**
     * The golden-path content the actions render: the files they write into repositories. The
     * whole content, each capability and each variant can come from a local `directory` or a
     * `url` (one of the two), laid over the package's content (and what backend modules
     * contribute): a variant's source wins over its capability's, which wins over the whole
     * content's. Everything is read and checked once, when the backend starts: a malformed
     * manifest, a file that does not render, a set the actions do not know or a URL that cannot
     * be read stops it, naming the file (at its URL) or the key. Restart the backend to pick up
     * new content.
     */
    content?: {
      /**
       * A directory of the platform team's own content, laid out like the package's `content/`
       * directory (see the module's README): each content set it holds (a
       * `<capability>/<variant>/manifest.yaml` with its files, such as `deploy/helm`) replaces
       * the package's set of the same name, and its `versions.yaml`, when present, overrides the
       * runtime versions it names. Its `CHANGELOG.yaml`, when present, versions it: services
       * are stamped with its `source` and newest release, and the platform maturity backend and
       * `paved score` compare them with it (`as-code.golden-path-current`). Only this key's
       * `CHANGELOG.yaml` versions the content (not one at a `url`). A relative path is resolved
       * against the backend's working directory.
       */
      directory?: string;
      /**
       * As `directory`, read with the URL reader (`readTree`) from a tree URL that an
       * `integrations` entry reads, such as
       * `https://github.com/acme/golden-paths/tree/main/content`.
       */
      url?: string;
      /** Content of one capability (`build`, `deploy`, `observe`, `data`, `capacity`, `as-code`). */
      capabilities?: {
        [capability: string]: {
          /** A directory of the capability's variants: `<variant>/manifest.yaml` and files. */
          directory?: string;
          /** As `directory`, read with the URL reader. */
          url?: string;
          /** Content of one variant, such as `helm` of `deploy`. */
          variants?: {
            [variant: string]: {
              /** A directory holding the variant's `manifest.yaml` and its files. */
              directory?: string;
              /** As `directory`, read with the URL reader. */
              url?: string;
            };
          };
        };
      };
    };
  };
}
