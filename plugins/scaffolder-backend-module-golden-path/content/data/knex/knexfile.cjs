// knex configuration of the ${{ values.name }} database (https://knexjs.org/guide/migrations.html).
// DATABASE_URL is its connection URL, such as postgres://user:password@host:5432/${{ values.name }}.
//   Apply the migrations:  npx knex migrate:latest --knexfile knexfile.cjs
//   Add a migration:       npx knex migrate:make <name> --knexfile knexfile.cjs
// Written by the paved:data:add scaffolder action.

/** @type {import('knex').Knex.Config} */
module.exports = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: {
    directory: './migrations',
    extension: 'cjs',
    loadExtensions: ['.cjs', '.js'],
  },
};
