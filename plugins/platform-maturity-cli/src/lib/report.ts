import type {
  CheckDefinition,
  ScorecardResponse,
} from '@paved/plugin-platform-maturity-common';
import type { GateResult, ScorecardDiff } from './diff';

/**
 * The result of `paved score`; its JSON form is the `--format json` output. `entity` and
 * `scorecard` have the shape of the backend's `GET /v1/scorecards/:kind/:namespace/:name`.
 *
 * @internal
 */
export interface ScoreReport extends ScorecardResponse {
  run: {
    /** The scored directory, as given. */
    directory: string;
    /** The entity file, relative to the directory; null when there is none. */
    entityFile: string | null;
    /** Number of files in the repository evidence. */
    files: number;
    truncated: boolean;
    /** Whether owner and Resource lookups had a catalog (`--catalog`). */
    catalog: boolean;
    /** How the result was obtained, where that changes how to read it. */
    notes: string[];
  };
  /** Present with `--baseline` or `--baseline-ref`. */
  diff?: ScorecardDiff;
  gate: GateResult;
}

/**
 * What the formats need besides the report.
 *
 * @internal
 */
export interface RenderContext {
  report: ScoreReport;
  /** The ruleset's check definitions, by id: titles and remediation. */
  checks: ReadonlyMap<string, CheckDefinition>;
  /** The Backstage app that Fix links open (`--backstage-url` or `app.baseUrl`). */
  backstageUrl?: string;
}
