// @ts-check

/**
 * Runs that survive a crash, and entities a run could not score.
 *
 * `evaluation_runs.heartbeat_at` is renewed by the process running the evaluation; a `running` row
 * whose heartbeat stopped belongs to a dead process and is marked failed by the next run. A unique
 * index over the `running` rows makes "at most one run at a time" hold in the database itself, so
 * that a replica that starts an evaluation outside the scheduler (after a crash, while the
 * scheduler's lock waits for its timeout) can never overlap another run.
 *
 * `evaluation_run_unscored` lists, per run, the entities the catalog returned that the run could
 * not score, with the reason; `evaluation_runs.failed` counts them (the list is bounded).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Before this version nothing marked a crashed run: of several `running` rows only the newest
  // can still be alive (the scheduler runs one at a time).
  const newest = await knex('evaluation_runs')
    .where('status', 'running')
    .max({ id: 'id' })
    .first();
  if (newest?.id !== null && newest?.id !== undefined) {
    await knex('evaluation_runs')
      .where('status', 'running')
      .where('id', '<', newest.id)
      .update({
        status: 'failed',
        finished_at: new Date(),
        error: 'The process running it stopped before it finished',
      });
  }
  await knex.schema.alterTable('evaluation_runs', table => {
    table
      .timestamp('heartbeat_at', { useTz: true })
      .nullable()
      .comment(
        'Renewed while the run is in progress; a running row whose heartbeat stopped belongs to a dead process',
      );
  });
  await knex('evaluation_runs')
    .where('status', 'running')
    .update({ heartbeat_at: new Date() });
  await knex.raw(
    "create unique index evaluation_runs_one_running_idx on evaluation_runs (status) where status = 'running'",
  );

  await knex.schema.createTable('evaluation_run_unscored', table => {
    table.comment(
      'Entities an evaluation run could not score, with the reason (bounded per run)',
    );
    table
      .integer('run_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('evaluation_runs')
      .onDelete('CASCADE');
    table
      .string('entity_ref')
      .notNullable()
      .comment(
        'Lower-case entity ref, or as much of one as the entity had when it was malformed',
      );
    table.text('reason').notNullable();
    table.primary(['run_id', 'entity_ref']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('evaluation_run_unscored');
  await knex.raw('drop index evaluation_runs_one_running_idx');
  await knex.schema.alterTable('evaluation_runs', table => {
    table.dropColumn('heartbeat_at');
  });
};
