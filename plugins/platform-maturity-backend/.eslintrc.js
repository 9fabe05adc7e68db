module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Example repositories of the local suite: data for the scorecard, not code of this package.
  ignorePatterns: ['dev/examples/**'],
});
