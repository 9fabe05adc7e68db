/**
 * The ruleset part of Paved's platform maturity configuration, read by `compileRuleset`. The
 * backend plugin adds its own keys (schedule, repository reading, history) under the same root.
 */
export interface Config {
  platformMaturity?: {
    /**
     * Per-capability check settings, keyed `<capability>.<check name>`, for example
     * `checks.build.tests.weight`. A key that is not a built-in check declares a new check
     * without code: it needs a `title` and an `entity` predicate and/or `files` globs. Check
     * names are lower-case letters and digits joined by `-` or `_`, at most 64 characters, and
     * not `constructor` or `prototype`.
     */
    checks?: {
      [capability: string]: {
        [check: string]: {
          /** Set to false to switch the check off. */
          enabled?: boolean;
          /** Relative weight within its capability; a positive number. Default 1 or 2. */
          weight?: number;
          /**
           * Which entities the check applies to: a `@backstage/filter-predicates` predicate.
           * Default: Components of type service or website.
           */
          appliesTo?: object;
          /** Title shown on the scorecard (required for a new check). */
          title?: string;
          /** Description shown on the scorecard. */
          description?: string;
          /** How to fix the check: template ref, form values and docs URL. */
          remediation?: {
            templateRef?: string;
            values?: object;
            /** An absolute http(s) URL. */
            docsUrl?: string;
          };
          /**
           * Settings of a built-in check that takes them (docs/checks.md lists them). Today only
           * `capacity.resources`: `memoryLimit` and `cpuLimit`, each `required` (a missing limit
           * fails the check), `advice` (it passes, and the message advises the limit) or
           * `ignored`; default `memoryLimit: advice`, `cpuLimit: ignored`.
           */
          options?: object;
          /** New checks only: the entity must match this filter predicate. */
          entity?: object;
          /**
           * New checks only: a repository file must match one of these globs. Each may expand
           * (brace groups, `@(a|b)`) into at most 256 globs and be at most 1,024 characters.
           */
          files?: string[];
          /**
           * New checks only: a matching file's content must match this regular expression (with
           * the `m` flag), at most 1,000 characters. Comments are removed from the file first (a
           * commented-out line is not evidence). A pattern that can backtrack catastrophically
           * (exponential, or polynomial of degree 3 or more, such as `(a+)+$`) is refused.
           */
          content?: string;
        };
      };
    };
    /**
     * The level ladder, bottom first. Each level lists the capabilities that must be complete
     * (or not applicable) and optionally a minimum overall score. The bottom level requires
     * nothing. Default: L0 Unpaved, L1 Builds, L2 Ships, L3 Operable, L4 Self-serve.
     */
    levels?: Array<{
      /** The level's number: a whole number from 0 to 1000. */
      level: number;
      name: string;
      description?: string;
      requires?: string[];
      minScore?: number;
    }>;
    /** Waivers granted by the platform team. */
    waivers?: Array<{
      /** Entity ref, for example `component:default/billing`. */
      entity: string;
      /** Check id, for example `capacity.autoscaling`. */
      check: string;
      reason: string;
      waivedBy: string;
      /** ISO 8601 date; a date without a time lasts to the end of that day (UTC). */
      until: string;
    }>;
    /** Whether waivers in an entity's `paved.dev/waivers` annotation count. Default true. */
    allowEntityWaivers?: boolean;
    /** Where failing checks point to. */
    remediation?: {
      /** Template that Fix links open. Default `template:default/add-capabilities`. */
      templateRef?: string;
      /**
       * Base URL of the per-check docs, an absolute http(s) URL; the check id (without dots) is
       * the anchor.
       */
      docsBaseUrl?: string;
    };
  };
}
