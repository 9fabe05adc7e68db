import { parseDocument } from 'yaml';
import { rootMap, scalarKey, scalarValue, sequenceStrings } from './yamlNodes';

describe('yamlNodes', () => {
  it('gives an empty document a root mapping and refuses another root', () => {
    const empty = parseDocument('# values\n');
    rootMap(empty)!.set('replicas', 2);
    expect(empty.toString()).toBe('# values\n\nreplicas: 2\n');
    expect(rootMap(parseDocument('- a\n'))).toBeUndefined();
  });

  it('reads the strings of a sequence, whatever its items', () => {
    const doc = parseDocument('resources: [a.yaml, 2, "b.yaml"]\n');
    expect(sequenceStrings(doc.get('resources'))).toEqual([
      'a.yaml',
      '2',
      'b.yaml',
    ]);
    expect(sequenceStrings(doc.get('missing'))).toEqual([]);
    expect(scalarValue('plain')).toBe('plain');
  });

  it('finds the key node of an entry, to carry a comment', () => {
    const doc = parseDocument('image: x\nmigrations:\n  enabled: true\n');
    const key = scalarKey(rootMap(doc)!, 'migrations')!;
    key.commentBefore = ' Applied before each release.';
    expect(doc.toString()).toBe(
      'image: x\n# Applied before each release.\nmigrations:\n  enabled: true\n',
    );
    expect(scalarKey(rootMap(doc)!, 'absent')).toBeUndefined();
  });
});
