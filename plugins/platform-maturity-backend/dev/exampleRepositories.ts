/*
 * The example services' repositories of the local suite, as git repositories under the local
 * repository root (`goldenPath.localPublish.root`), so that Fix on an example commits there
 * (`paved:fetch:local` and `paved:publish:local`) and the next evaluation scores the commit.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';

/** The example repositories as they are checked in. */
export const EXAMPLE_SOURCES = path.resolve(
  __dirname,
  'examples',
  'repositories',
);

/** Marks a repository under the root as an example, which every start re-creates. */
const EXAMPLE_KEY = 'paved.example';

/**
 * Re-creates the example repositories under `root`, each as a git repository with one commit
 * that `paved:publish:local` may publish to again. A directory of the same name that is not an
 * example is left alone.
 *
 * @returns the names of the directories left alone
 */
export async function seedExampleRepositories(root: string): Promise<string[]> {
  const skipped: string[] = [];
  for (const name of fs.readdirSync(EXAMPLE_SOURCES)) {
    const target = path.join(root, name);
    if (fs.existsSync(target)) {
      const example = await git
        .getConfig({ fs, dir: target, path: EXAMPLE_KEY })
        .catch(() => undefined);
      if (example !== 'true') {
        skipped.push(name);
        continue;
      }
      fs.rmSync(target, { recursive: true, force: true });
    }
    fs.cpSync(path.join(EXAMPLE_SOURCES, name), target, { recursive: true });
    await git.init({ fs, dir: target, defaultBranch: 'main' });
    await git.setConfig({ fs, dir: target, path: EXAMPLE_KEY, value: 'true' });
    await git.setConfig({
      fs,
      dir: target,
      path: 'paved.publishedBy',
      value: 'paved:publish:local',
    });
    await git.add({ fs, dir: target, filepath: '.' });
    await git.commit({
      fs,
      dir: target,
      message: `The ${name} example`,
      // A fixed date: every start makes the same commit, so it can be reset to.
      author: {
        name: 'Paved examples',
        email: 'examples@paved.invalid',
        timestamp: 1767225600,
        timezoneOffset: 0,
      },
    });
  }
  return skipped;
}

/**
 * Seeds the example repositories before the catalog reads them (a catalog module runs before the
 * catalog starts processing its locations).
 */
export const exampleRepositoriesModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-example-repositories',
  register(env) {
    env.registerInit({
      deps: { config: coreServices.rootConfig, logger: coreServices.logger },
      async init({ config, logger }) {
        const root = config.getString('goldenPath.localPublish.root');
        fs.mkdirSync(root, { recursive: true });
        const skipped = await seedExampleRepositories(root);
        logger.info(`Re-created the example repositories under ${root}`);
        for (const name of skipped) {
          logger.warn(
            `Left ${path.join(
              root,
              name,
            )} alone: it is not an example repository, so the ${name} example is not registered from it`,
          );
        }
      },
    });
  },
});
