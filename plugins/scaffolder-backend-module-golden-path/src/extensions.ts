import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * Golden-path content a backend module contributes in code: a directory on disk, or the files
 * themselves. Without `capability`, it is laid out like the package's `content` directory
 * (`<capability>/<variant>/manifest.yaml` sets and an optional `versions.yaml`); with
 * `capability` only, it holds that capability's variants (`<variant>/manifest.yaml`); with
 * both, it is one content set (`manifest.yaml` and its files). Checked when the backend starts,
 * like `goldenPath.content`, which is laid over it.
 *
 * @public
 */
export type GoldenPathContentContribution = {
  /** The capability it replaces content of, such as `deploy`. */
  capability?: string;
  /** The variant it replaces, such as `helm`; needs `capability`. */
  variant?: string;
} & (
  | {
      /** An absolute directory that holds the content. */
      directory: string;
      files?: never;
    }
  | {
      /** The content's files by path relative to it (`/` separators), as text. */
      files: Record<string, string>;
      directory?: never;
    }
);

/**
 * Lets a backend module of the scaffolder contribute golden-path content in code.
 *
 * @public
 */
export interface GoldenPathContentExtensionPoint {
  /** Adds content; later contributions are laid over earlier ones. */
  addContent(content: GoldenPathContentContribution): void;
}

/**
 * The extension point through which a scaffolder backend module contributes golden-path
 * content to the `paved:*` actions.
 *
 * @public
 */
export const goldenPathContentExtensionPoint =
  createExtensionPoint<GoldenPathContentExtensionPoint>({
    id: 'scaffolder.golden-path.content',
  });
