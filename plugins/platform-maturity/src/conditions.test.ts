import type { Entity } from '@backstage/catalog-model';
import { isPlatformMaturityAvailable } from './conditions';

function entity(kind: string, type?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
    spec: type === undefined ? {} : { type },
  };
}

describe('isPlatformMaturityAvailable', () => {
  it('is true for the Components the built-in checks apply to', () => {
    expect(isPlatformMaturityAvailable(entity('Component', 'service'))).toBe(
      true,
    );
    expect(isPlatformMaturityAvailable(entity('Component', 'website'))).toBe(
      true,
    );
    // Filter predicates compare case-insensitively, like the catalog.
    expect(isPlatformMaturityAvailable(entity('component', 'Service'))).toBe(
      true,
    );
  });

  it('is false for other component types and other kinds', () => {
    expect(isPlatformMaturityAvailable(entity('Component', 'library'))).toBe(
      false,
    );
    expect(isPlatformMaturityAvailable(entity('Component'))).toBe(false);
    expect(isPlatformMaturityAvailable(entity('API', 'service'))).toBe(false);
    expect(isPlatformMaturityAvailable(entity('Group'))).toBe(false);
  });
});
