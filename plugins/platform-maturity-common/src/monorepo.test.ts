import { isRootPipeline, withRootPipelines } from './monorepo';
import type { RepositorySnapshot } from './types';

function snapshot(files: Record<string, string>): RepositorySnapshot {
  return { paths: Object.keys(files), read: p => files[p] };
}

describe('isRootPipeline', () => {
  it.each([
    '.github/workflows/ci.yml',
    '.gitlab-ci.yml',
    'Jenkinsfile',
    '.github/renovate.json5',
    'renovate.json',
    '.github/dependabot.yml',
  ])('takes %s, which covers every component of the repository', path => {
    expect(isRootPipeline(path)).toBe(true);
  });

  it.each([
    'services/web/Jenkinsfile',
    'services/web/renovate.json',
    'README.md',
    '.github/CODEOWNERS',
  ])('leaves out %s', path => {
    expect(isRootPipeline(path)).toBe(false);
  });
});

describe('withRootPipelines', () => {
  it("adds the root's pipelines and update-bot configuration to a component's own files", () => {
    const own = snapshot({ 'main.go': 'package main\n' });
    const root = snapshot({
      '.github/workflows/ci.yml': 'on: push\n',
      '.github/renovate.json5': '{}\n',
      'services/web/package.json': '{}\n',
    });
    const joined = withRootPipelines(own, root);
    expect([...joined.paths].sort()).toEqual([
      '.github/renovate.json5',
      '.github/workflows/ci.yml',
      'main.go',
    ]);
    expect(joined.read('.github/renovate.json5')).toBe('{}\n');
  });
});
