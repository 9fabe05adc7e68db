// Lists every installed copy of an `@backstage/*` package in an app (node_modules of the root and
// of every workspace, nested ones included), as JSON: { name: { version: [paths] } }.
//
// Usage: node scripts/adopter/backstage-copies.js <app> [<copies before our install>.json]
// With a file of the copies before our packages were installed, it fails when our install added
// a copy of a package that is installed in more than one version, naming the package, the
// versions and where the new copy is; and, either way, when a @backstage/* range of one of our
// packages does not accept the version the app has.
const fs = require('node:fs');
const path = require('node:path');

const [app, beforeFile] = process.argv.slice(2).map(p => path.resolve(p));

function walk(modules, copies) {
  if (!fs.existsSync(modules)) return;
  for (const entry of fs.readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@')
      ? fs.readdirSync(path.join(modules, entry)).map(e => path.join(entry, e))
      : [entry];
    for (const dir of dirs) {
      const pkgDir = path.join(modules, dir);
      const manifest = path.join(pkgDir, 'package.json');
      if (fs.lstatSync(pkgDir).isSymbolicLink() || !fs.existsSync(manifest)) {
        continue;
      }
      const { name, version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      if (name?.startsWith('@backstage/')) {
        const versions = (copies[name] ??= {});
        (versions[version] ??= []).push(path.relative(app, pkgDir));
      }
      walk(path.join(pkgDir, 'node_modules'), copies);
    }
  }
}

const copies = {};
walk(path.join(app, 'node_modules'), copies);
for (const group of ['packages', 'plugins']) {
  const dir = path.join(app, group);
  if (!fs.existsSync(dir)) continue;
  for (const workspace of fs.readdirSync(dir)) {
    walk(path.join(dir, workspace, 'node_modules'), copies);
  }
}

if (!beforeFile) {
  process.stdout.write(`${JSON.stringify(copies, null, 2)}\n`);
  process.exit(0);
}
const before = JSON.parse(fs.readFileSync(beforeFile, 'utf8'));
const added = [];
let twice = 0;
for (const [name, versions] of Object.entries(copies)) {
  const list = Object.keys(versions);
  if (list.length < 2) continue;
  twice += 1;
  // A copy (version and place) the app did not have before our packages came in.
  const newCopies = Object.entries(versions).flatMap(([version, places]) =>
    places
      .filter(place => !before[name]?.[version]?.includes(place))
      .map(place => `${version} at ${place}`),
  );
  if (newCopies.length > 0) {
    added.push(
      `${name}: ${list.join(
        ', ',
      )} installed; new with our packages: ${newCopies.join('; ')}`,
    );
  }
}
console.log(
  `${
    Object.keys(copies).length
  } @backstage/* packages installed, ${twice} of them in more than one version (before our install: ${
    Object.values(before).filter(v => Object.keys(v).length > 1).length
  })`,
);
// Whatever the layout, each of our @backstage/* ranges must accept the version the app itself uses
// (the hoisted copy), or a package manager may install a second copy for us.
const semver = require('semver');
const ours = path.join(app, 'node_modules/@paved');
for (const dir of fs.existsSync(ours) ? fs.readdirSync(ours) : []) {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ours, dir, 'package.json'), 'utf8'),
  );
  const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const [name, range] of Object.entries(ranges)) {
    const hoisted = path.join(app, 'node_modules', name, 'package.json');
    if (!name.startsWith('@backstage/') || !fs.existsSync(hoisted)) continue;
    const { version } = JSON.parse(fs.readFileSync(hoisted, 'utf8'));
    if (!semver.satisfies(version, range)) {
      added.push(
        `${manifest.name} asks for ${name}@${range}; the app has ${version}`,
      );
    }
  }
}
if (added.length > 0) {
  console.error(`Our install added second copies:\n- ${added.join('\n- ')}`);
  process.exit(1);
}
console.log('Our install added no second copy of any @backstage/* package.');
