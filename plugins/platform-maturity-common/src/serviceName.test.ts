import {
  checkServiceName,
  DEFAULT_SERVICE_NAME_PATTERN,
  describeServiceNameRule,
} from './serviceName';

const rule = { pattern: DEFAULT_SERVICE_NAME_PATTERN };

describe('checkServiceName', () => {
  it('accepts a DNS label', () => {
    expect(checkServiceName('orders-v2', rule)).toBeUndefined();
  });

  it('refuses what the form let through before, in words rather than a pattern', () => {
    const message = checkServiceName('Orders_Svc.v2', rule);
    expect(message).toBe(
      "'Orders_Svc.v2' is not a valid service name: use lower-case letters, digits and dashes, starting and ending with a letter or digit (like orders-api).",
    );
    expect(message).not.toContain('[');
  });

  it('requires a name and limits its length', () => {
    expect(checkServiceName('', rule)).toBe('A name is required.');
    expect(checkServiceName(undefined, rule)).toBe('A name is required.');
    expect(checkServiceName('a'.repeat(64), rule)).toBe(
      'The name is 64 characters long; use at most 63.',
    );
  });

  it("applies the catalog's rule for entity names whatever the pattern", () => {
    expect(checkServiceName('orders-', { pattern: '.*' })).toMatch(
      /not a valid service name: use names matching `\.\*`/,
    );
  });

  it('uses the configured description of a custom pattern', () => {
    const custom = {
      pattern: '^svc-[a-z]+$',
      description: 'svc- followed by lower-case letters',
    };
    expect(describeServiceNameRule(custom)).toBe(
      'svc- followed by lower-case letters',
    );
    expect(checkServiceName('orders', custom)).toBe(
      "'orders' is not a valid service name: use svc- followed by lower-case letters.",
    );
  });
});
