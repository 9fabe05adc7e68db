module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Run in Node.js, not in the browser: the chunk-size benchmark and the API client's test
      // against a real local HTTP server.
      files: ['bench/**', 'src/api/PlatformMaturityClient.test.ts'],
      rules: { 'no-restricted-imports': 'off' },
    },
    {
      // The dev app is an app: it loads the Backstage UI styles like any app does.
      files: ['dev/**'],
      rules: { '@backstage/no-ui-css-imports-in-non-frontend': 'off' },
    },
  ],
});
