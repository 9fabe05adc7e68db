// @ts-check

/**
 * Where each scored entity's repository is, so that a push event finds the entities to score
 * again without reading the catalog.
 *
 * `scorecards.repository` is the repository of the entity's source location (`host/owner/name`,
 * lower-case), `repository_ref` the ref the location names (null: the default branch) and
 * `repository_path` the directory inside the repository ('' for its root). They are filled in as
 * entities are scored; rows stored before stay null until their next evaluation.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards', table => {
    table
      .string('repository', 255)
      .nullable()
      .comment(
        'Repository of the source location on a Git host: host/owner/name, lower-case',
      );
    table
      .string('repository_ref', 255)
      .nullable()
      .comment('Ref the source location names; null for the default branch');
    table
      .string('repository_path', 255)
      .nullable()
      .comment(
        "Directory of the source location in its repository; '' for the root",
      );
    table.index(['repository'], 'scorecards_repository_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards', table => {
    table.dropIndex(['repository'], 'scorecards_repository_idx');
    table.dropColumn('repository');
    table.dropColumn('repository_ref');
    table.dropColumn('repository_path');
  });
};
