// Pins a new app's @backstage/* packages to one Backstage release line, as the yarn.lock seed that
// create-app fetches from GitHub would (unreachable here; without it, the app's caret ranges
// float to newer release lines, and a 1.55 app gets, for example, plugin-signals-backend 0.3.21,
// which needs backend-defaults 0.19 and stops the backend).
//
// - A numbered line (`1.55`) takes the versions of `release-lines/<line>.json`, which also names
//   the create-app version that makes it.
// - `newest` takes, for each of those packages and each @backstage/* package the app's
//   package.json files name, the version the npm registry tags `latest`: the app an adopter has
//   after `backstage-cli versions:bump` to the newest release. The versions are written to
//   `<app>/../newest-line.json` for the record.
//
// Usage: node scripts/adopter/pin-release.js <app directory> <line>
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const [appDir, line] = process.argv.slice(2);
const app = path.resolve(appDir);
const file = path.join(app, 'package.json');

/** The release-line file; the 1.55 one also lists the packages a create-app app uses. */
function releaseLine(name) {
  return JSON.parse(
    fs.readFileSync(path.join(root, 'release-lines', `${name}.json`), 'utf8'),
  );
}

/** The @backstage/* packages the app's own package.json files depend on. */
function appPackages() {
  const names = new Set();
  const files = [file];
  for (const dir of ['packages', 'plugins']) {
    const parent = path.join(app, dir);
    if (fs.existsSync(parent)) {
      for (const entry of fs.readdirSync(parent)) {
        const manifest = path.join(parent, entry, 'package.json');
        if (fs.existsSync(manifest)) files.push(manifest);
      }
    }
  }
  for (const manifest of files) {
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    for (const deps of [pkg.dependencies, pkg.devDependencies]) {
      for (const name of Object.keys(deps ?? {})) {
        if (name.startsWith('@backstage/')) names.add(name);
      }
    }
  }
  return names;
}

/** The version the registry tags `latest` for each package, a few requests at a time. */
async function latestVersions(names) {
  const registry = (
    process.env.npm_config_registry || 'https://registry.npmjs.org/'
  ).replace(/\/?$/, '/');
  const queue = [...names].sort();
  const versions = {};
  async function worker() {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const response = await fetch(`${registry}${name.replace('/', '%2f')}`, {
        headers: { accept: 'application/vnd.npm.install-v1+json' },
      });
      if (response.status === 404) continue;
      if (!response.ok) {
        throw new Error(`The registry answered ${response.status} for ${name}`);
      }
      const latest = (await response.json())['dist-tags']?.latest;
      if (!latest) throw new Error(`${name} has no version tagged latest`);
      versions[name] = latest;
    }
  }
  await Promise.all(Array.from({ length: 12 }, worker));
  return Object.fromEntries(Object.entries(versions).sort());
}

async function main() {
  let packages;
  if (line === 'newest') {
    const names = new Set([
      ...Object.keys(releaseLine('1.55').packages),
      ...appPackages(),
    ]);
    packages = await latestVersions(names);
    fs.writeFileSync(
      path.join(path.dirname(app), 'newest-line.json'),
      `${JSON.stringify({ packages }, null, 2)}\n`,
    );
  } else {
    packages = releaseLine(line).packages;
  }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.resolutions = { ...manifest.resolutions, ...packages };
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `Pinned ${
      Object.keys(packages).length
    } @backstage/* packages in ${file} to the ${line} line` +
      (line === 'newest'
        ? ` (backend-defaults ${packages['@backstage/backend-defaults']}, frontend-plugin-api ${packages['@backstage/frontend-plugin-api']})`
        : ''),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
