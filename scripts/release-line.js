// The Backstage release lines Paved supports besides the newest (whose versions are the root
// package.json's `overrides`): each is a file `release-lines/<line>.json` that pins every
// `@backstage/*` package of that release (docs/architecture.md, "Backstage release lines").
//
// Usage:
//   node scripts/release-line.js apply <line> <repository copy>
//     rewrites the copy's root package.json to install that line: its `overrides` pin the line's
//     versions, and the tools the root installs directly (`@backstage/cli`, ...) take them too;
//     its package-lock.json drops its `@backstage/*` entries, to be resolved again.
//   node scripts/release-line.js check <line> <repository copy>
//     fails, naming the package, when an installed `@backstage/*` package is not the version of
//     the line or is not pinned by it.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

/** The pinned versions of a release line, `{ name: version }`. */
function readLine(line) {
  const file = path.join(root, 'release-lines', `${line}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`No release line ${line}: ${file} does not exist`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')).packages;
}

function apply(line, dir) {
  const pins = readLine(line);
  const file = path.join(dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  const overrides = {};
  for (const [name, version] of Object.entries(pins)) {
    // npm refuses an override that differs from the root's own dependency on the package, so the
    // root's dependency takes the version and the override refers to it.
    if (manifest.devDependencies?.[name]) {
      manifest.devDependencies[name] = version;
      overrides[name] = `$${name}`;
    } else {
      overrides[name] = version;
    }
  }
  manifest.overrides = overrides;
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  // npm keeps a locked version that still satisfies its dependents' ranges even when a changed
  // override asks for another, so the lockfile loses its @backstage/* entries (and keeps every
  // other package's) and npm resolves them again under the line's overrides.
  const lockFile = path.join(dir, 'package-lock.json');
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  for (const key of Object.keys(lock.packages)) {
    if (/(^|\/)node_modules\/@backstage\/[^/]+$/.test(key)) {
      delete lock.packages[key];
    }
  }
  fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`${file}: ${Object.keys(pins).length} packages of line ${line}`);
}

function check(line, dir) {
  const pins = readLine(line);
  const copies = JSON.parse(
    execFileSync(
      process.execPath,
      [path.join(__dirname, 'adopter/backstage-copies.js'), dir],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    ),
  );
  const wrong = [];
  for (const [name, versions] of Object.entries(copies)) {
    for (const [version, places] of Object.entries(versions)) {
      if (!pins[name]) {
        wrong.push(`${name} ${version} (at ${places[0]}) is not pinned`);
      } else if (pins[name] !== version) {
        wrong.push(
          `${name} ${version} (at ${places[0]}) instead of ${pins[name]}`,
        );
      }
    }
  }
  if (wrong.length > 0) {
    console.error(
      `Installed packages outside release line ${line}:\n- ${wrong.join(
        '\n- ',
      )}`,
    );
    process.exit(1);
  }
  console.log(
    `All ${
      Object.keys(copies).length
    } installed @backstage/* packages are those of line ${line}.`,
  );
}

const [command, line, dir] = process.argv.slice(2);
const commands = { apply, check };
if (!commands[command] || !line || !dir) {
  console.error(
    'Usage: node scripts/release-line.js apply|check <line> <repository copy>',
  );
  process.exit(2);
}
commands[command](line, path.resolve(dir));
