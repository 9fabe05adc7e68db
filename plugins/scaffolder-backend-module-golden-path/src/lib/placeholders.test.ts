import { createMockDirectory } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { inlineRelativePlaceholders } from './placeholders';

describe('inlineRelativePlaceholders', () => {
  const mockDir = createMockDirectory();
  const inline = (text: string) =>
    inlineRelativePlaceholders(text, {
      dir: mockDir.resolve('service'),
      root: mockDir.path,
      displayPath: 'service/catalog-info.yaml',
    });

  beforeEach(() =>
    mockDir.setContent({
      'service/openapi.yaml': 'openapi: 3.0.3\n',
      'service/schema.json': '{ "type": "object" }',
      'service/bad.json': '{',
      'shared/events.yaml': 'asyncapi: 2.6.0\n',
    }),
  );

  it('replaces $text, $json and $yaml of relative files, and keeps the rest', async () => {
    const { text, inlined } = await inline(`# the service
kind: API
spec:
  definition:
    $text: ./openapi.yaml
  schema:
    $json: schema.json
  events:
    $yaml: ../shared/events.yaml
  remote:
    $text: https://example.com/openapi.yaml
`);
    expect(inlined.sort()).toEqual([
      '../shared/events.yaml',
      './openapi.yaml',
      'schema.json',
    ]);
    expect(text.startsWith('# the service\n')).toBe(true);
    expect(text).toContain('inlined from ./openapi.yaml');
    expect(yaml.parse(text).spec).toEqual({
      definition: 'openapi: 3.0.3\n',
      schema: { type: 'object' },
      events: { asyncapi: '2.6.0' },
      remote: { $text: 'https://example.com/openapi.yaml' },
    });
  });

  it('gives the text back unchanged when nothing names a relative file', async () => {
    const text = 'kind: Component # a comment\nmetadata:\n  name: a\n';
    await expect(inline(text)).resolves.toEqual({ text, inlined: [] });
  });

  it.each([
    [
      'a missing file',
      './missing.yaml',
      /missing\.yaml in a placeholder, which cannot be read/,
    ],
    [
      'a file outside the repository',
      '../../etc/passwd',
      /which is outside the repository/,
    ],
  ])('refuses %s, naming it', async (_case, file, message) => {
    await expect(
      inline(`kind: API\nspec:\n  definition:\n    $text: ${file}\n`),
    ).rejects.toThrow(message);
  });

  it('refuses a $json file that does not parse', async () => {
    await expect(
      inline('kind: API\nspec:\n  definition:\n    $json: ./bad.json\n'),
    ).rejects.toThrow(
      /bad\.json in a \$json placeholder, which does not parse/,
    );
  });
});
