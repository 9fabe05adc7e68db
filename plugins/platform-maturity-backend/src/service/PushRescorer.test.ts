import { parsePush } from './PushRescorer';

const push = (fields: Record<string, unknown> = {}) => ({
  ref: 'refs/heads/main',
  repository: {
    html_url: 'https://GitHub.example.com/Acme/Orders',
    default_branch: 'main',
  },
  commits: [
    { added: ['a.txt'], modified: ['b.txt'], removed: [] },
    { added: [], modified: ['b.txt'], removed: ['c.txt'] },
  ],
  ...fields,
});

describe('parsePush', () => {
  it('reads the repository, the branch and the files the commits changed', () => {
    expect(parsePush(push())).toEqual({
      repository: 'github.example.com/acme/orders',
      branch: 'main',
      defaultBranch: 'main',
      changedPaths: ['a.txt', 'b.txt', 'c.txt'],
    });
  });

  it('leaves the changed files unknown when the event may not list every commit', () => {
    const commits = Array.from({ length: 20 }, () => ({
      added: [],
      modified: ['x'],
      removed: [],
    }));
    expect(parsePush(push({ commits }))?.changedPaths).toBeUndefined();
    expect(
      parsePush(push({ commits: undefined }))?.changedPaths,
    ).toBeUndefined();
    expect(
      parsePush(push({ commits: [{ modified: ['x'] }] }))?.changedPaths,
    ).toBeUndefined();
  });

  it('ignores tags, deleted branches and payloads that are not pushes', () => {
    expect(parsePush(push({ ref: 'refs/tags/v1.0.0' }))).toBeUndefined();
    expect(parsePush(push({ deleted: true }))).toBeUndefined();
    expect(
      parsePush(push({ repository: { html_url: 'not a url' } })),
    ).toBeUndefined();
    expect(
      parsePush(push({ repository: { html_url: 'https://github.com/' } })),
    ).toBeUndefined();
    expect(parsePush({ action: 'opened' })).toBeUndefined();
    expect(parsePush(undefined)).toBeUndefined();
  });
});
