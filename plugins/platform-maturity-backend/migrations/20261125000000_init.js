// @ts-check

/**
 * The latest scorecard per entity, the score history and the evaluation runs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecards', table => {
    table.comment('The latest scorecard of each evaluated catalog entity');
    table
      .string('entity_ref')
      .primary()
      .notNullable()
      .comment('Lower-case entity ref');
    table.string('kind').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.text('title').nullable();
    table.string('owner').nullable().comment('Entity ref of the owner');
    table.string('system').nullable().comment('Entity ref of the system');
    table.string('domain').nullable().comment('Entity ref of the domain');
    table.string('lifecycle').nullable();
    table.string('type').nullable();
    table
      .boolean('in_scope')
      .notNullable()
      .comment('False when no check of the ruleset applies to the entity');
    // double, not float: PostgreSQL's `real` would turn 66.7 into 66.69999694824219.
    table.double('score').nullable().comment('Overall score, 0-100');
    table.integer('level').nullable();
    table.string('level_name').nullable();
    // One column per capability so that lists and summaries filter and aggregate them in SQL.
    for (const capability of [
      'build',
      'deploy',
      'observe',
      'data',
      'capacity',
      'as_code',
    ]) {
      table
        .double(`cap_${capability}`)
        .nullable()
        .comment(
          'Capability score, 0-100; null when not applicable or unknown',
        );
    }
    table.string('ruleset_hash').notNullable();
    table.string('evidence_digest').notNullable();
    table
      .string('entity_hash')
      .notNullable()
      .comment('Hash of the entity content, for skipping unchanged entities');
    table
      .text('repository_etag')
      .nullable()
      .comment('ETag of the repository tree that was read');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table
      .integer('last_seen_run')
      .nullable()
      .comment('The last evaluation run that saw the entity in the catalog');
    table.text('scorecard').notNullable().comment('The Scorecard as JSON');

    for (const column of [
      'owner',
      'system',
      'domain',
      'lifecycle',
      'kind',
      'level',
      'score',
    ]) {
      table.index([column], `scorecards_${column}_idx`);
    }
  });

  await knex.schema.createTable('scorecard_history', table => {
    table.comment(
      'Scorecards over time: a row whenever the score, the level or a check status changed',
    );
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.double('score').nullable();
    table.integer('level').nullable();
    table.string('level_name').nullable();
    table.string('ruleset_hash').notNullable();
    table.string('evidence_digest').notNullable();
    table
      .text('statuses')
      .notNullable()
      .comment('Check statuses as JSON, by check id');
    table.index(
      ['entity_ref', 'recorded_at'],
      'scorecard_history_entity_ref_recorded_at_idx',
    );
  });

  await knex.schema.createTable('evaluation_runs', table => {
    table.comment('Evaluation runs of the whole catalog');
    table.increments('id');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .string('status')
      .notNullable()
      .comment('running, succeeded or failed');
    table.integer('evaluated').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table.integer('removed').notNullable().defaultTo(0);
    table.string('ruleset_hash').notNullable();
    table.text('error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('evaluation_runs');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('scorecards');
};
