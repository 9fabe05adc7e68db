import { mockWorkspace } from '../__testUtils__/runAction';
import { detectStack, oneOf, resolveCiProvider, resolveStack } from './stacks';

describe('stacks', () => {
  const { mockDir, files } = mockWorkspace();

  it.each([
    [{ 'package.json': '{}' }, 'node'],
    [{ 'go.mod': 'module x' }, 'go'],
    [{ 'pyproject.toml': '' }, 'python'],
    [{ 'requirements.txt': '' }, 'python'],
    [{ 'setup.py': '' }, 'python'],
    [{ 'README.md': '' }, undefined],
  ])('detects the stack of %j', async (content, stack) => {
    mockDir.setContent(content);
    await expect(detectStack(files())).resolves.toBe(stack);
  });

  it('prefers the stack input, and validates it', async () => {
    mockDir.setContent({ 'package.json': '{}' });
    await expect(resolveStack(files(), 'go')).resolves.toBe('go');
    await expect(resolveStack(files(), undefined)).resolves.toBe('node');
    await expect(resolveStack(files(), 'rust')).rejects.toThrow(
      "Invalid input 'stack': 'rust' is not one of node, go, python",
    );
    await expect(resolveStack(files(), 'go', ['node'])).rejects.toThrow(
      "Invalid input 'stack': 'go' is not one of node",
    );
  });

  it('asks for the stack when nothing can be detected', async () => {
    await expect(resolveStack(files(), undefined)).rejects.toThrow(
      "Input 'stack' is required",
    );
  });

  it('resolves the CI provider from the input or the existing pipeline', async () => {
    await expect(resolveCiProvider(files(), undefined)).resolves.toBe(
      'github-actions',
    );
    mockDir.setContent({ '.gitlab-ci.yml': 'test: {}' });
    await expect(resolveCiProvider(files(), undefined)).resolves.toBe(
      'gitlab-ci',
    );
    await expect(resolveCiProvider(files(), 'github-actions')).resolves.toBe(
      'github-actions',
    );
    await expect(resolveCiProvider(files(), 'jenkins')).rejects.toThrow(
      "Invalid input 'ciProvider': 'jenkins' is not one of github-actions, gitlab-ci",
    );
  });

  it('describes non-string values in errors', () => {
    expect(() => oneOf('method', 3, ['helm'])).toThrow(
      "Invalid input 'method': 3 is not one of helm",
    );
    expect(() => oneOf('method', undefined, ['helm'])).toThrow(
      "Invalid input 'method': no value is not one of helm",
    );
  });
});
