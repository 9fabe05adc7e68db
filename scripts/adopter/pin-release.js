// Pins a new app's @backstage/* packages to the Backstage release this repository builds on, as
// the yarn.lock seed that create-app fetches from GitHub would (unreachable here; without it, the
// app's caret ranges float to newer release lines, and a 1.55 app gets, for example,
// plugin-signals-backend 0.3.21, which needs backend-defaults 0.19 and stops the backend).
// The versions are those of the root package.json's `overrides`, which hold that release.
//
// Usage: node scripts/adopter/pin-release.js <app directory>
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const file = path.join(path.resolve(process.argv[2]), 'package.json');
const { overrides } = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
);
const app = JSON.parse(fs.readFileSync(file, 'utf8'));
const pins = Object.entries(overrides).filter(
  ([name, version]) =>
    name.startsWith('@backstage/') && !version.startsWith('$'),
);
app.resolutions = { ...app.resolutions, ...Object.fromEntries(pins) };
fs.writeFileSync(file, `${JSON.stringify(app, null, 2)}\n`);
console.log(`Pinned ${pins.length} @backstage/* packages in ${file}`);
