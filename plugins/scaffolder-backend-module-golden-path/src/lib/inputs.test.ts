import { validateImage, validateServiceName } from './inputs';

describe('inputs', () => {
  it('accepts DNS-label service names and rejects others, naming the input', () => {
    expect(validateServiceName('orders-api')).toBe('orders-api');
    expect(() => validateServiceName('Orders')).toThrow(
      "Invalid input 'name': 'Orders' must match",
    );
    expect(() => validateServiceName('-x')).toThrow("Invalid input 'name'");
    expect(() => validateServiceName('a'.repeat(64))).toThrow(
      'at most 63 characters',
    );
    expect(() =>
      validateServiceName('orders', {
        inputName: 'component',
        pattern: /^svc-/,
      }),
    ).toThrow("Invalid input 'component': 'orders' must match ^svc-");
  });

  it('accepts image repositories and rejects tags, digests and bad names', () => {
    for (const image of [
      'ghcr.io/acme/orders',
      'registry.example.com:5000/team/orders-api',
      'orders',
      'docker.io/library/my_app',
    ]) {
      expect(validateImage(image)).toBe(image);
    }
    expect(() => validateImage('ghcr.io/acme/orders:latest')).toThrow(
      'without a tag or digest',
    );
    expect(() => validateImage('ghcr.io/acme/orders@sha256:abc')).toThrow(
      'without a tag or digest',
    );
    expect(() => validateImage('ghcr.io/Acme/Orders')).toThrow(
      "Invalid input 'image': 'ghcr.io/Acme/Orders' is not a container image repository",
    );
  });
});
