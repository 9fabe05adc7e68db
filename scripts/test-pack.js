// The packing test: builds every package and packs it as `npm publish` would (prepack and
// postpack included), then checks that each tarball holds what an install needs and nothing else:
// every entry point of the packed package.json (main, module, types, exports, typesVersions, bin,
// configSchema) exists in the tarball, the backend ships its migrations, and no sources, tests,
// test utilities, dev apps or benchmarks are packed. Then the types check: a consumer project in
// test-results/types-consumer holds the unpacked tarballs in its node_modules and imports every
// entry point (`/alpha` included), and `tsc` checks it with `skipLibCheck: false`, as an
// adopter's `yarn tsc:full` does. With `--keep <dir>` the tarballs stay in <dir>, named without
// their version (`@paved/plugin-x` -> `paved-plugin-x.tgz`) so that the install lines README shows
// (docs/install/tarballs.sh) hold for every release.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const keepIndex = process.argv.indexOf('--keep');
const destination =
  keepIndex > 0
    ? path.resolve(process.argv[keepIndex + 1])
    : fs.mkdtempSync(path.join(os.tmpdir(), 'paved-pack-'));
fs.mkdirSync(destination, { recursive: true });

/** Files a package may ship besides its declared entry points. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^config\.d\.ts$/,
  // `backstage-cli package prepack` compiles config.d.ts into this and points configSchema at it.
  /^config\.schema\.json$/,
  /^bin\/[^/]+$/,
  /^migrations\/[^/]+\.js$/,
  // The golden-path module's content sets: the files its actions render (see its README). They
  // are templates of a service's files, so FORBIDDEN (src/, tests) does not apply to them.
  /^content\/.+$/,
  /^dist\/.+\.(c?js|mjs|d\.ts|map|json|css|svg|png)$/,
];
/** Files that must never be packed, whatever the patterns above allow. */
const FORBIDDEN = [
  /(^|\/)src\//,
  /\.test\.[jt]sx?$/,
  /(^|\/)__testUtils__\//,
  /(^|\/)__fixtures__\//,
  /(^|\/)(dev|bench|e2e)\//,
  /(^|\/)report(-[a-z]+)?\.api\.md$/,
  /\.tsbuildinfo$/,
];

function run(command, args, options = {}) {
  return execFileSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}

/**
 * Every file path an exports map (or typesVersions map) points at. The `backstage` condition is
 * the feature type Backstage's discovery reads (`@backstage/FrontendPlugin`), not a file.
 */
function targetsOf(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targetsOf);
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([condition]) => condition !== 'backstage')
      .flatMap(([, target]) => targetsOf(target));
  }
  return [];
}

const workspaces = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
).workspaces.flatMap(pattern =>
  fs
    .readdirSync(path.join(root, path.dirname(pattern)))
    .map(dir => path.join(path.dirname(pattern), dir))
    .filter(dir => fs.existsSync(path.join(root, dir, 'package.json'))),
);

console.log('Building every package ...');
// The builds take their type declarations from the repository-wide `tsc` output (dist-types).
run('node_modules/.bin/tsc', [], { stdio: ['ignore', 'inherit', 'inherit'] });
run('node_modules/.bin/backstage-cli', ['repo', 'build'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});

const problems = [];
const packedPackages = [];
for (const dir of workspaces) {
  const source = JSON.parse(
    fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
  );
  if (source.private) continue;
  const [packed] = JSON.parse(
    run('npm', [
      'pack',
      '--json',
      '--pack-destination',
      destination,
      '--workspace',
      dir,
    ]),
  );
  const files = packed.files.map(f => f.path);
  const tarball = path.join(
    destination,
    `${packed.name.replace(/^@/, '').replace('/', '-')}.tgz`,
  );
  fs.renameSync(path.join(destination, packed.filename), tarball);
  const manifest = JSON.parse(
    run('tar', ['-xOzf', tarball, 'package/package.json']),
  );
  const complain = message => problems.push(`${manifest.name}: ${message}`);
  packedPackages.push({ tarball, manifest });

  for (const file of files) {
    if (!file.startsWith('content/') && FORBIDDEN.some(p => p.test(file))) {
      complain(`packs ${file}, which an install does not need`);
    } else if (!ALLOWED.some(p => p.test(file))) {
      complain(`packs ${file}, which is not in the list of shipped files`);
    }
  }
  const entries = [
    manifest.main,
    manifest.module,
    manifest.types,
    manifest.configSchema,
    ...targetsOf(manifest.exports),
    ...targetsOf(manifest.typesVersions),
    ...targetsOf(manifest.bin),
  ].filter(Boolean);
  for (const entry of entries) {
    const file = path.posix.normalize(entry);
    if (!files.includes(file)) {
      complain(`its package.json points at ${entry}, which is not packed`);
    }
  }
  if (!manifest.types && !manifest.bin) {
    complain('declares no types');
  }
  for (const field of ['repository', 'homepage', 'bugs', 'license']) {
    if (!manifest[field]) complain(`has no ${field} field`);
  }
  if (!files.includes('README.md')) complain('packs no README.md');
  if (
    fs.existsSync(path.join(root, dir, 'migrations')) &&
    !files.some(f => f.startsWith('migrations/'))
  ) {
    complain('does not pack its migrations');
  }
  const contentDir = path.join(root, dir, 'content');
  if (fs.existsSync(contentDir)) {
    const missing = fs
      .readdirSync(contentDir, { recursive: true, withFileTypes: true })
      .filter(entry => entry.isFile())
      .map(entry =>
        path
          .relative(
            path.join(root, dir),
            path.join(entry.parentPath, entry.name),
          )
          .split(path.sep)
          .join('/'),
      )
      .filter(file => !files.includes(file));
    if (missing.length > 0) {
      complain(`does not pack its content: ${missing.join(', ')}`);
    }
  }
  if (manifest.exports?.['./alpha'] && !manifest.typesVersions?.['*']?.alpha) {
    complain('exports ./alpha without types for it');
  }
  console.log(
    `${manifest.name}@${manifest.version}: ${files.length} files, ${(
      packed.size / 1024
    ).toFixed(0)} KiB packed`,
  );
}

/** Unpacks the tarballs into a consumer project and type-checks an import of each entry point. */
function checkTypes() {
  const consumer = path.join(root, 'test-results', 'types-consumer');
  fs.rmSync(consumer, { recursive: true, force: true });
  const specifiers = [];
  for (const { tarball, manifest } of packedPackages) {
    const target = path.join(consumer, 'node_modules', manifest.name);
    fs.mkdirSync(target, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
    if (!manifest.types) continue;
    for (const subpath of Object.keys(manifest.exports ?? { '.': '' })) {
      if (subpath !== './package.json') {
        specifiers.push(path.posix.join(manifest.name, subpath));
      }
    }
  }
  fs.writeFileSync(
    path.join(consumer, 'index.ts'),
    specifiers.map((s, i) => `export * as entry${i} from '${s}';\n`).join(''),
  );
  // The consumer sits inside the repository, so the dependencies of the packages (Backstage,
  // React, ...) resolve from the repository's node_modules, as they would from an app's.
  fs.writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      extends: '@backstage/cli/config/tsconfig.json',
      include: ['index.ts'],
      compilerOptions: {
        noEmit: true,
        incremental: false,
        skipLibCheck: false,
        jsx: 'react-jsx',
      },
    }),
  );
  console.log(
    `Type-checking ${specifiers.length} entry points with skipLibCheck: false ...`,
  );
  try {
    run(path.join(root, 'node_modules/.bin/tsc'), [
      '-p',
      consumer,
      '--pretty',
      'false',
    ]);
  } catch (error) {
    for (const line of String(error.stdout).trim().split('\n')) {
      problems.push(`types: ${line}`);
    }
  }
}
checkTypes();

if (keepIndex < 0) {
  fs.rmSync(destination, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`\n${problems.length} packing problems:`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
console.log('Every package packs what an install needs and nothing else.');
