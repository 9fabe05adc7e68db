// The baseline of the ${{ values.name }} database: migrations start from an empty schema, and each
// schema change is a migration of its own (npx knex migrate:make <name> --knexfile knexfile.cjs).

/** @param {import('knex').Knex} knex */
exports.up = async knex => {
  await knex.raw('SELECT 1');
};

/** @param {import('knex').Knex} knex */
exports.down = async knex => {
  await knex.raw('SELECT 1');
};
