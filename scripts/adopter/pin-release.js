// Pins a new app's @backstage/* packages to the Backstage release create-app makes, as the
// yarn.lock seed that create-app fetches from GitHub would (unreachable here; without it, the
// app's caret ranges float to newer release lines, and a 1.55 app gets, for example,
// plugin-signals-backend 0.3.21, which needs backend-defaults 0.19 and stops the backend).
// The versions are those of the release line's file, `release-lines/<line>.json`, which also
// names the create-app version that makes it.
//
// Usage: node scripts/adopter/pin-release.js <app directory> <line>
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const [appDir, line] = process.argv.slice(2);
const file = path.join(path.resolve(appDir), 'package.json');
const { packages } = JSON.parse(
  fs.readFileSync(path.join(root, 'release-lines', `${line}.json`), 'utf8'),
);
const app = JSON.parse(fs.readFileSync(file, 'utf8'));
app.resolutions = { ...app.resolutions, ...packages };
fs.writeFileSync(file, `${JSON.stringify(app, null, 2)}\n`);
console.log(
  `Pinned ${Object.keys(packages).length} @backstage/* packages in ${file}`,
);
