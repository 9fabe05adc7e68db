// Applies README's "Install into an existing Backstage" to a new app, from the files in
// docs/install/ that README shows word for word (checked first, so the two cannot drift):
// the packages from tarballs, the backend lines, the configuration and the templates.
//
// Usage: node scripts/adopter/apply-install.js <app directory>
// The app's parent directory must hold `paved` (this checkout) and the app `paved-packages/`.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('yaml');

const root = path.resolve(__dirname, '../..');
const app = path.resolve(process.argv[2]);
const snippets = path.join(root, 'docs/install');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** A snippet file, after checking that README shows it unchanged in a code block. */
function snippet(file) {
  const text = fs.readFileSync(path.join(snippets, file), 'utf8');
  const fence = `\`\`\`${path.extname(file).slice(1)}\n`;
  const shown = readme
    .split(/^\s*```[a-z]*\n/m)
    .some(block => block.startsWith(text) || dedented(block).startsWith(text));
  if (!readme.includes(fence) || !shown) {
    throw new Error(`README does not show docs/install/${file} word for word`);
  }
  return text;
}

/** A code block of README's numbered steps is indented by three spaces. */
function dedented(block) {
  return block.replace(/^ {3}/gm, '');
}

/** Merges configuration as an adopter does by hand: objects key by key, lists extended. */
function merge(target, addition) {
  if (Array.isArray(target) && Array.isArray(addition)) {
    return [...target, ...addition.filter(a => !target.includes(a))];
  }
  if (
    target &&
    addition &&
    typeof target === 'object' &&
    typeof addition === 'object'
  ) {
    const merged = { ...target };
    for (const [key, value] of Object.entries(addition)) {
      merged[key] = key in merged ? merge(merged[key], value) : value;
    }
    return merged;
  }
  return addition;
}

function sh(script) {
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: app,
    stdio: 'inherit',
  });
}

// 1. Packages, from the tarballs until Paved is on the registry.
sh(snippet('tarballs.sh'));

// 2. Backend: the lines go before `backend.start()`.
const backendFile = path.join(app, 'packages/backend/src/index.ts');
const backend = fs.readFileSync(backendFile, 'utf8');
if (!backend.includes('backend.start();')) {
  throw new Error(`${backendFile} has no backend.start()`);
}
fs.writeFileSync(
  backendFile,
  backend.replace(
    'backend.start();',
    `${snippet('backend.ts')}\nbackend.start();`,
  ),
);

// 3. Frontend: the app uses feature discovery (`app.packages: all`), so step 1 is enough.

// 4. and 5. Configuration and templates.
sh(snippet('templates.sh'));
const configFile = path.join(app, 'app-config.yaml');
let config = yaml.parse(fs.readFileSync(configFile, 'utf8'));
for (const file of ['app-config.yaml', 'templates.yaml']) {
  config = merge(config, yaml.parse(snippet(file)));
}
fs.writeFileSync(configFile, yaml.stringify(config));
console.log(`Applied README's install steps to ${app}`);
