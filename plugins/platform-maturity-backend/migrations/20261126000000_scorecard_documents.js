// @ts-check

/**
 * Moves the scorecard JSON (about 6 KB per entity) out of `scorecards` into a table of its own,
 * so that the indexed table that lists, summaries and runs scan and update holds only small rows:
 * on SQLite a 6 KB row spills into overflow pages that every scan reads and every update of
 * `last_seen_run` rewrites. On PostgreSQL the JSON is compressed with lz4 where the server has it,
 * which costs about half the CPU of the default (pglz) to write and to read. And `scorecards` pages
 * are filled only half: every run updates every row's `last_seen_run`, and an update that finds
 * room in its page and changes no indexed column (a HOT update) writes no index entries, where
 * otherwise each of the table's eight indexes gets one. Half leaves room for every row of a page
 * (measured: all updates HOT at 50, a quarter at 80, and twice as fast as at the default of 100);
 * the rows are small, so the table stays small.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_documents', table => {
    table.comment(
      'The latest scorecard of each entity in `scorecards`, as JSON',
    );
    table
      .string('entity_ref')
      .primary()
      .notNullable()
      .comment('Lower-case entity ref, as in scorecards');
    table
      .text('entity')
      .notNullable()
      .comment(
        "The entity's facts as JSON, as in scorecards, so that the API's scorecard GET reads one row",
      );
    table.text('scorecard').notNullable().comment('The Scorecard as JSON');
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw('alter table scorecards set (fillfactor = 50)');
    const { rows } = await knex.raw(
      `select 1 from pg_settings
       where name = 'default_toast_compression' and 'lz4' = any(enumvals)`,
    );
    if (rows.length > 0) {
      await knex.raw(
        'alter table scorecard_documents alter column scorecard set compression lz4',
      );
    }
  }
  // Page by page in entity_ref order; the facts JSON leaves out what is null, as the store does.
  const facts = [
    ['entityRef', 'entity_ref'],
    ['kind', 'kind'],
    ['namespace', 'namespace'],
    ['name', 'name'],
    ['title', 'title'],
    ['owner', 'owner'],
    ['system', 'system'],
    ['domain', 'domain'],
    ['lifecycle', 'lifecycle'],
    ['type', 'type'],
  ];
  let after = '';
  for (;;) {
    const rows = await knex('scorecards')
      .where('entity_ref', '>', after)
      .orderBy('entity_ref')
      .limit(500)
      .select(...facts.map(([, column]) => column), 'scorecard');
    if (rows.length === 0) {
      break;
    }
    await knex('scorecard_documents').insert(
      rows.map(row => ({
        entity_ref: row.entity_ref,
        entity: JSON.stringify(
          Object.fromEntries(
            facts
              .filter(([, column]) => row[column] !== null)
              .map(([key, column]) => [key, row[column]]),
          ),
        ),
        scorecard: row.scorecard,
      })),
    );
    after = rows[rows.length - 1].entity_ref;
  }
  await knex.schema.alterTable('scorecards', table => {
    table.dropColumn('scorecard');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Every scorecard has its document; the default only satisfies NOT NULL while the column is added.
  await knex.schema.alterTable('scorecards', table => {
    table
      .text('scorecard')
      .notNullable()
      .defaultTo('')
      .comment('The Scorecard as JSON');
  });
  await knex.raw(
    `update scorecards set scorecard = (
       select d.scorecard from scorecard_documents d where d.entity_ref = scorecards.entity_ref
     )
     where exists (select 1 from scorecard_documents d where d.entity_ref = scorecards.entity_ref)`,
  );
  await knex.schema.dropTable('scorecard_documents');
  if (knex.client.config.client === 'pg') {
    await knex.raw('alter table scorecards reset (fillfactor)');
  }
};
