/**
 * The git config key that marks a repository under the local root as published by
 * `paved:publish:local`: only such repositories are published to again or get local commits.
 */
export const PUBLISHED_BY_KEY = 'paved.publishedBy';
/** The value of {@link PUBLISHED_BY_KEY}. */
export const PUBLISHED_BY_VALUE = 'paved:publish:local';
