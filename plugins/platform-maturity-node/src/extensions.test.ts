import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  CheckImplementation,
  compileRuleset,
  evaluate,
} from '@paved/plugin-platform-maturity-common';
import { platformMaturityChecksExtensionPoint } from './extensions';

const runbookCheck: CheckImplementation = {
  id: 'observe.runbook',
  capability: 'observe',
  title: 'Runbook linked',
  description: 'The entity links a runbook',
  evidence: 'entity',
  evaluate: ({ entity }) =>
    entity.metadata.links?.some(l => /runbook/i.test(l.title ?? ''))
      ? { status: 'pass', message: 'Runbook linked' }
      : { status: 'fail', message: 'No runbook link' },
};

describe('platformMaturityChecksExtensionPoint', () => {
  it('carries checks from a backend module into the ruleset of the plugin', async () => {
    const compiled: string[][] = [];
    // Stands in for the platform-maturity backend plugin, which owns the extension point.
    const plugin = createBackendPlugin({
      pluginId: 'platform-maturity',
      register(env) {
        const checks: CheckImplementation[] = [];
        env.registerExtensionPoint(platformMaturityChecksExtensionPoint, {
          addChecks: (...added) => checks.push(...added),
        });
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init() {
            const ruleset = compileRuleset({}, { extraChecks: checks });
            compiled.push(ruleset.checks.map(c => c.definition.id));
            const card = evaluate(ruleset, {
              entity: {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: {
                  name: 'orders',
                  links: [{ url: 'https://x', title: 'Runbook' }],
                },
                spec: { type: 'service' },
              },
              now: new Date(),
            });
            compiled.push([
              card.results.find(r => r.checkId === 'observe.runbook')!.status,
            ]);
          },
        });
      },
    });
    const module = createBackendModule({
      pluginId: 'platform-maturity',
      moduleId: 'runbook-check',
      register(env) {
        env.registerInit({
          deps: { checks: platformMaturityChecksExtensionPoint },
          async init({ checks }) {
            checks.addChecks(runbookCheck);
          },
        });
      },
    });

    const backend = await startTestBackend({ features: [plugin, module] });
    expect(compiled[0]).toContain('observe.runbook');
    expect(compiled[1]).toEqual(['pass']);
    await backend.stop();
  });
});
