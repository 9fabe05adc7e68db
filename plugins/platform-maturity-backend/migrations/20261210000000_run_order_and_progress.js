// @ts-check

/**
 * The order of a run, and its progress while it runs.
 *
 * `scorecards.checked_at` is when a run last looked at the entity (scored it, or found its entity,
 * repository and ruleset unchanged); `scorecards.pushed_at` when a push event last touched its
 * repository. A run takes entities never scored first, then those pushed since they were checked,
 * then the longest unchecked, so that a run that stops is resumed by the next (see
 * docs/architecture.md, "The order of a run"). Rows stored before are checked at their evaluation.
 *
 * `evaluation_runs.total` is the number of entities a run is to look at, known once it has listed
 * the catalog; its counts are renewed with its heartbeat while it runs; `waiting_until` and
 * `waiting_host` say that it waits for a Git host's API budget, and until when.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards', table => {
    table
      .timestamp('checked_at', { useTz: true })
      .nullable()
      .comment(
        'When a run last scored the entity or found it unchanged; the oldest are taken first',
      );
    table
      .timestamp('pushed_at', { useTz: true })
      .nullable()
      .comment('When a push event last touched the entity');
  });
  await knex('scorecards').update({ checked_at: knex.ref('evaluated_at') });
  await knex.schema.alterTable('evaluation_runs', table => {
    table
      .integer('total')
      .nullable()
      .comment(
        'Entities the run is to look at, once it has listed the catalog',
      );
    table
      .timestamp('waiting_until', { useTz: true })
      .nullable()
      .comment("Set while the run waits for a Git host's API budget");
    table
      .string('waiting_host', 255)
      .nullable()
      .comment('The host whose API budget the run waits for');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evaluation_runs', table => {
    table.dropColumn('total');
    table.dropColumn('waiting_until');
    table.dropColumn('waiting_host');
  });
  await knex.schema.alterTable('scorecards', table => {
    table.dropColumn('checked_at');
    table.dropColumn('pushed_at');
  });
};
