// @ts-check

/**
 * Coverage is part of the score: how much of the checklist could be checked.
 *
 * `scorecards.coverage` is the scorecard's coverage share (0-100), with the capabilities fully
 * checked and applicable beside it, so that lists sort by level, score and coverage, and
 * summaries average it, in SQL. `capability_statuses` holds each capability's status as JSON, so
 * that a list row tells "could not check" from "not applicable". A capability of which nothing
 * failed but something could not be read is `unknown` (it was `partial`, with a score of 100):
 * existing scorecards are rewritten to the same rule, and its score column becomes null, as for
 * any capability that could not be checked.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecards', table => {
    table
      .double('coverage')
      .nullable()
      .comment(
        'Share of the applicable checklist that could be checked, 0-100; null when out of scope',
      );
    table
      .integer('checked_capabilities')
      .nullable()
      .comment('Applicable capabilities whose every check could be decided');
    table
      .integer('applicable_capabilities')
      .nullable()
      .comment('Capabilities that apply to the entity');
    table
      .text('capability_statuses')
      .nullable()
      .comment('Capability statuses by capability id, as JSON');
  });
  /** @type {Record<string, string>} */
  const columns = {
    build: 'cap_build',
    deploy: 'cap_deploy',
    observe: 'cap_observe',
    data: 'cap_data',
    capacity: 'cap_capacity',
    'as-code': 'cap_as_code',
  };
  let after = '';
  for (;;) {
    const rows = await knex('scorecard_documents')
      .where('entity_ref', '>', after)
      .orderBy('entity_ref')
      .limit(500)
      .select('entity_ref', 'scorecard');
    if (rows.length === 0) {
      break;
    }
    for (const row of rows) {
      const scorecard = JSON.parse(row.scorecard);
      /** @type {Record<string, string>} */
      const statuses = {};
      /** @type {Record<string, number | null>} */
      const scores = {};
      let sum = 0;
      let applicable = 0;
      let checked = 0;
      for (const c of scorecard.capabilities ?? []) {
        if (
          c.status === 'partial' &&
          c.passedWeight === c.applicableWeight &&
          c.unknownWeight > 0
        ) {
          c.status = 'unknown';
        }
        statuses[c.capability] = c.status;
        if (columns[c.capability]) {
          scores[columns[c.capability]] =
            c.status === 'unknown' ? null : c.score;
        }
        const total = c.applicableWeight + c.unknownWeight;
        if (total > 0) {
          applicable++;
          sum += c.applicableWeight / total;
          checked += c.unknownWeight === 0 ? 1 : 0;
        }
      }
      const coverage =
        scorecard.inScope && applicable > 0
          ? {
              // roundScore of @paved/plugin-platform-maturity-common, as the engine rounds.
              share: Math.round((sum / applicable) * 100 * 10) / 10,
              checkedCapabilities: checked,
              applicableCapabilities: applicable,
            }
          : undefined;
      if (coverage) {
        scorecard.coverage = coverage;
      }
      await knex('scorecard_documents')
        .where('entity_ref', row.entity_ref)
        .update({ scorecard: JSON.stringify(scorecard) });
      await knex('scorecards')
        .where('entity_ref', row.entity_ref)
        .update({
          ...scores,
          coverage: coverage?.share ?? null,
          checked_capabilities: coverage?.checkedCapabilities ?? null,
          applicable_capabilities: coverage?.applicableCapabilities ?? null,
          capability_statuses: JSON.stringify(statuses),
        });
    }
    after = rows[rows.length - 1].entity_ref;
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecards', table => {
    table.dropColumn('coverage');
    table.dropColumn('checked_capabilities');
    table.dropColumn('applicable_capabilities');
    table.dropColumn('capability_statuses');
  });
};
