import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTheme } from '@material-ui/core/styles';
import {
  compileRuleset,
  evaluate,
  roundScore,
  WAIVERS_ANNOTATION,
} from '@paved/plugin-platform-maturity-common';
import {
  apiEntity,
  checklistOf,
  EVALUATED_AT,
  mockApi,
  responseError,
  ruleset,
  scorecardResponse,
  serviceEntity,
  serviceNamed,
} from '../../__testUtils__/fixtures';
import {
  PlatformMaturityApi,
  platformMaturityApiRef,
} from '../../api/PlatformMaturityApi';
import { scaffolderRootRouteRef } from '../../routes';
import { levelColour } from '../PlatformMaturityPage/format';
import { EntityPlatformMaturityCard } from './EntityPlatformMaturityCard';

/**
 * One permission policy for every test (the permission API's answers are cached per request):
 * re-evaluation is allowed on every entity except those named `restricted-*`.
 */
const permissionApi = mockApis.permission({
  authorize: request =>
    request.permission.name === 'platform-maturity.scorecard.refresh' &&
    'resourceRef' in request &&
    typeof request.resourceRef === 'string' &&
    !request.resourceRef.startsWith('component:default/restricted-')
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
});

async function renderCard(options: {
  api: PlatformMaturityApi;
  entity?: Entity;
  mountedRoutes?: Record<string, typeof scaffolderRootRouteRef>;
}) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [platformMaturityApiRef, options.api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider entity={options.entity ?? serviceEntity}>
        <EntityPlatformMaturityCard />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...options.mountedRoutes,
      },
    },
  );
}

/** Expands a capability row with the keyboard, as a keyboard user would. */
async function expandCapability(name: RegExp) {
  const row = await screen.findByRole('button', { name });
  row.focus();
  await userEvent.keyboard('{Enter}');
  expect(row).toHaveAttribute('aria-expanded', 'true');
  return screen.findByRole('list', {
    name: new RegExp(`^Checks of ${name.source.replace(/^\^/, '')}`),
  });
}

function checkItem(list: HTMLElement, checkId: string): HTMLElement {
  const item = list.querySelector(`[data-check-id="${checkId}"]`);
  if (!item) {
    throw new Error(`no check ${checkId} in the list`);
  }
  return item as HTMLElement;
}

describe('EntityPlatformMaturityCard', () => {
  it('shows progress while loading', async () => {
    const api = mockApi({ getScorecard: () => new Promise(() => {}) });
    await renderCard({ api });
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading the platform maturity scorecard',
      }),
    ).toBeInTheDocument();
  });

  it('shows the level, the score as a ring and when it was evaluated', async () => {
    const response = scorecardResponse();
    const api = mockApi({ getScorecard: async () => response });
    await renderCard({ api });

    const ring = await screen.findByRole('progressbar', {
      name: 'Platform maturity score',
    });
    expect(ring).toHaveAttribute(
      'aria-valuenow',
      String(Math.round(response.scorecard.score!)),
    );
    expect(screen.getByText('Level 0 of 4')).toBeInTheDocument();
    expect(screen.getByText('Unpaved')).toBeInTheDocument();
    expect(
      screen.getByText(/Next: level 1, Builds \(needs Build & test\)/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Evaluated/).querySelector('time')).toHaveAttribute(
      'dateTime',
      EVALUATED_AT,
    );
    expect(api.getScorecard).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders',
    });
  });

  it('names the commit it scored when the backend read one', async () => {
    const response = scorecardResponse();
    const sourceCommit = '3f1c2a9b7d0e4c5a6b7c8d9e0f1a2b3c4d5e6f70';
    const api = mockApi({
      getScorecard: async () => ({
        ...response,
        scorecard: { ...response.scorecard, sourceCommit },
      }),
    });
    await renderCard({ api });
    const commit = await screen.findByText('3f1c2a9');
    expect(commit).toHaveAttribute('title', sourceCommit);
    expect(screen.getByText(/Evaluated/)).toHaveTextContent(
      'at commit 3f1c2a9',
    );
  });

  it('has a heading for its title, so that screen reader users can jump to it', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });
    expect(
      await screen.findByRole('heading', {
        level: 2,
        name: 'Platform maturity',
      }),
    ).toBeInTheDocument();
  });

  it('leads with the checks that block the next level, each with its Fix link', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });

    const next = await screen.findByRole('region', {
      name: 'To reach level 1, Builds',
    });
    expect(
      within(next).getByRole('heading', { name: 'To reach level 1, Builds' }),
    ).toBeInTheDocument();
    // Build & test is what level 1 needs: its one failing check, not the waived or passed ones.
    const blocking = [...next.querySelectorAll('[data-check-id]')];
    expect(blocking.map(b => b.getAttribute('data-check-id'))).toEqual([
      'build.tests',
    ]);
    expect(
      within(next).getByRole('link', { name: 'Fix: Pipeline runs the tests' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/add-capabilities?formData=${encodeURIComponent(
        JSON.stringify({
          entity: 'component:default/orders',
          capabilities: ['build'],
        }),
      )}`,
    );
  });

  it('counts the failing checks on the collapsed rows', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });
    expect(
      await screen.findByRole('button', { name: /^Build & test/ }),
    ).toHaveTextContent('1 failing');
    expect(
      screen.getByRole('button', { name: /^Deploy, version & roll back/ }),
    ).toHaveTextContent(/\d failing/);
    expect(
      screen.getByRole('button', { name: /^Data & schema migrations/ }),
    ).not.toHaveTextContent('failing');
  });

  it('lists the waivers on the card: who granted it, until when, the reason once, self-declared ones marked, expired ones too', async () => {
    const entity: typeof serviceEntity = {
      ...serviceEntity,
      metadata: {
        ...serviceEntity.metadata,
        annotations: {
          [WAIVERS_ANNOTATION]: JSON.stringify([
            {
              check: 'build.dependency-updates',
              reason: 'Moving to Renovate this quarter',
              until: '2099-12-31',
              waivedBy: 'group:default/platform',
            },
            {
              check: 'deploy.rollback',
              reason: 'Rollback drills start next sprint',
              until: '2026-01-31',
            },
          ]),
        },
      },
    };
    const api = mockApi({
      getScorecard: async () => scorecardResponse({ entity }),
    });
    await renderCard({ api, entity });

    const waivers = await screen.findByRole('region', { name: 'Waivers' });
    const items = within(waivers).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const [expired, active] = items;
    expect(expired).toHaveTextContent('Waiver expired');
    expect(expired).toHaveTextContent('Rollback drills start next sprint');
    expect(expired.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-01-31',
    );

    expect(active).toHaveTextContent('Dependencies are kept up to date');
    expect(active).toHaveTextContent('Self-declared');
    expect(
      within(active).getByRole('link', { name: 'platform' }),
    ).toHaveAttribute('href', '/catalog/default/group/platform');
    const date = new Date('2099-12-31T00:00:00Z').toLocaleDateString(
      undefined,
      { dateStyle: 'medium', timeZone: 'UTC' },
    );
    expect(active).toHaveTextContent(`until ${date}`);
    // The reason once on the card, in one date format.
    expect(screen.getAllByText(/Moving to Renovate this quarter/)).toHaveLength(
      1,
    );
    expect(document.body).not.toHaveTextContent('2099-12-31');
  });

  it('marks a waiver granted in configuration as granted by the platform team', async () => {
    const configured = compileRuleset({
      waivers: [
        {
          entity: 'component:default/orders',
          check: 'build.dependency-updates',
          reason: 'Renovate rollout',
          until: '2099-06-30',
          waivedBy: 'group:default/platform',
        },
      ],
    });
    const response = scorecardResponse();
    response.scorecard = evaluate(configured, {
      entity: {
        ...serviceEntity,
        metadata: { name: 'orders', namespace: 'default' },
      },
      now: new Date(EVALUATED_AT),
    });
    const api = mockApi({
      getScorecard: async () => response,
      getChecklist: async () => checklistOf(configured),
    });
    await renderCard({ api });

    const waivers = await screen.findByRole('region', { name: 'Waivers' });
    expect(waivers).toHaveTextContent(
      'Granted by platform in the platform configuration',
    );
    expect(waivers).not.toHaveTextContent('Self-declared');
  });

  it('explains the levels where it shows them', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });
    await userEvent.click(await screen.findByText('What the levels mean'));
    const levels = screen.getByRole('list', { name: 'Levels' });
    const items = within(levels).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(items[0]).toHaveTextContent('L0 Unpaved (this service)');
    expect(items[0]).toHaveAttribute('aria-current', 'step');
    expect(items[2]).toHaveTextContent('L2 Ships');
    expect(items[2]).toHaveTextContent(
      'Needs Build & test, Deploy, version & roll back.',
    );
  });

  it('lists the six capabilities with status and progress', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });

    const build = await screen.findByRole('button', { name: /^Build & test/ });
    expect(build).toHaveTextContent('Partial');
    expect(
      screen.getByRole('progressbar', { name: 'Build & test score' }),
    ).toHaveAttribute('aria-valuenow', '67');
    expect(
      screen.getByRole('button', { name: /^Deploy, version & roll back/ }),
    ).toHaveTextContent('Missing');
    expect(
      screen.getByRole('button', { name: /^Data & schema migrations/ }),
    ).toHaveTextContent('Not applicable');
    expect(
      screen.queryByRole('progressbar', {
        name: 'Data & schema migrations score',
      }),
    ).not.toBeInTheDocument();
    expect(
      screen.getAllByRole('button', { expanded: false }).length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('expands a capability by keyboard into its passing, failing and waived checks', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });
    const checks = await expandCapability(/^Build & test/);

    const pipeline = checkItem(checks, 'build.pipeline');
    expect(within(pipeline).getByTitle('Passed')).toBeInTheDocument();
    expect(pipeline).toHaveTextContent('CI pipeline as code');
    expect(
      within(pipeline).getByRole('list', { name: 'Evidence' }),
    ).toHaveTextContent('File .github/workflows/ci.yaml (GitHub Actions)');
    expect(
      within(pipeline).queryByRole('link', { name: /^Fix/ }),
    ).not.toBeInTheDocument();

    const tests = checkItem(checks, 'build.tests');
    expect(within(tests).getByTitle('Failing')).toBeInTheDocument();
    expect(tests).toHaveTextContent('but the repository has no test files');
    expect(
      within(tests).getByRole('list', { name: 'Evidence' }),
    ).toHaveTextContent('.github/workflows/ci.yaml:6 (- run: npm test)');
    expect(
      within(tests).getByRole('list', { name: 'Near-misses' }),
    ).toHaveTextContent(
      'Rejected: File tests/__init__.py — is a Python package marker, not a test',
    );
    expect(
      within(pipeline).queryByRole('list', { name: 'Near-misses' }),
    ).not.toBeInTheDocument();

    const updates = checkItem(checks, 'build.dependency-updates');
    expect(within(updates).getByTitle('Waived')).toBeInTheDocument();
    // The row says until when; the card's waiver list above has who and why.
    expect(updates).toHaveTextContent(
      `until ${new Date('2099-12-31T00:00:00Z').toLocaleDateString(undefined, {
        dateStyle: 'medium',
        timeZone: 'UTC',
      })}, see Waivers above`,
    );
    expect(updates).not.toHaveTextContent('Moving to Renovate this quarter');
    expect(
      within(updates).queryByRole('link', { name: /^Fix/ }),
    ).not.toBeInTheDocument();
  });

  it('links a failing check to its remediation template with the entity and capability prefilled', async () => {
    const api = mockApi({ getScorecard: async () => scorecardResponse() });
    await renderCard({ api });
    const checks = await expandCapability(/^Build & test/);
    const tests = checkItem(checks, 'build.tests');
    const title = ruleset.checks.find(c => c.definition.id === 'build.tests')!
      .definition.title;

    const fix = within(tests).getByRole('link', { name: `Fix: ${title}` });
    const formData = JSON.stringify({
      entity: 'component:default/orders',
      capabilities: ['build'],
    });
    expect(fix).toHaveAttribute(
      'href',
      `/create/templates/default/add-capabilities?formData=${encodeURIComponent(
        formData,
      )}`,
    );
    const parsed = new URL(fix.getAttribute('href')!, 'http://localhost');
    expect(JSON.parse(parsed.searchParams.get('formData')!)).toEqual({
      entity: 'component:default/orders',
      capabilities: ['build'],
    });

    const docs = within(tests).getByRole('link', {
      name: `How to meet ${title}, Opens in a new window`,
    });
    expect(docs).toHaveAttribute(
      'href',
      'https://github.com/paved-dev/paved/blob/main/docs/checks.md#buildtests',
    );
  });

  it('uses the bound scaffolder route and a configured template with its values', async () => {
    const custom = checklistOf(ruleset);
    custom.checks = custom.checks.map(check =>
      check.id === 'build.tests'
        ? {
            ...check,
            remediation: {
              templateRef: 'golden/add-tests',
              values: { framework: 'jest', capabilities: ['build'] },
            },
          }
        : check,
    );
    const api = mockApi({
      getScorecard: async () => scorecardResponse(),
      getChecklist: async () => custom,
    });
    await renderCard({
      api,
      mountedRoutes: { '/self-service': scaffolderRootRouteRef },
    });
    const checks = await expandCapability(/^Build & test/);
    const tests = checkItem(checks, 'build.tests');

    const fix = within(tests).getByRole('link', { name: /^Fix:/ });
    const href = fix.getAttribute('href')!;
    expect(href.split('?')[0]).toBe('/self-service/templates/golden/add-tests');
    const formData = new URL(href, 'http://localhost').searchParams.get(
      'formData',
    );
    expect(JSON.parse(formData!)).toEqual({
      framework: 'jest',
      entity: 'component:default/orders',
      capabilities: ['build'],
    });
    // No docs URL configured for this check any more.
    expect(
      within(tests).queryByRole('link', { name: /^How to meet/ }),
    ).not.toBeInTheDocument();
  });

  it('shows unread evidence as "could not check", never as a failure', async () => {
    const api = mockApi({
      getScorecard: async () => scorecardResponse({ files: null }),
    });
    await renderCard({ api });

    const deploy = await screen.findByRole('button', {
      name: /^Deploy, version & roll back/,
    });
    expect(deploy).toHaveTextContent('Could not check');
    expect(deploy).not.toHaveTextContent('Missing');
    expect(
      screen.getByText(/Some evidence could not be read/),
    ).toBeInTheDocument();

    const checks = await expandCapability(/^Deploy, version & roll back/);
    const items = checks.querySelectorAll('[data-check-id]');
    expect(items).toHaveLength(3);
    for (const item of Array.from(items)) {
      const el = item as HTMLElement;
      expect(within(el).getByTitle('Could not check')).toBeInTheDocument();
      expect(within(el).queryByTitle('Failing')).not.toBeInTheDocument();
      expect(
        within(el).queryByRole('link', { name: /^Fix/ }),
      ).not.toBeInTheDocument();
    }
  });

  it('never shows a green score when capabilities could not be checked: the ring has the level colour, the coverage, the reason and who can fix it', async () => {
    const problem =
      'The backend cannot read file:/srv/orders: it is outside platformMaturity.repository.allowedLocalRoots, the only directories it may read. Who can fix it: your Backstage admins, by adding its directory there.';
    const response = scorecardResponse({
      files: null,
      repositoryProblem: problem,
    });
    // What was checked all passed: a score of 100 that covers almost nothing, at level 0.
    response.scorecard.score = 100;
    const api = mockApi({ getScorecard: async () => response });
    await renderCard({ api });

    const ring = await screen.findByRole('progressbar', {
      name: 'Platform maturity score',
    });
    expect(ring).toHaveAttribute('aria-valuetext', '100 out of 100, level 0');
    // The colour of level 0 on the level scale, not the success colour of a complete capability.
    const levelZero = document.createElement('span');
    levelZero.style.color = levelColour(createTheme(), 0, ruleset.levels);
    expect(getComputedStyle(ring).color).toBe(levelZero.style.color);
    expect(getComputedStyle(ring).color).not.toBe('');
    expect(screen.getByText('0 of 6 capabilities checked')).toBeInTheDocument();

    // Build & test passed the one check that could be read: not "Partial" with a full bar.
    const build = screen.getByRole('button', { name: /^Build & test/ });
    expect(build).toHaveTextContent('Could not check');
    expect(build).not.toHaveTextContent('Partial');
    expect(
      screen.queryByRole('progressbar', { name: 'Build & test score' }),
    ).not.toBeInTheDocument();
    expect(build).toHaveTextContent(/\d+% checked/);

    // Why, and who can fix it; and no advice to build what could not be read.
    expect(screen.getByText(problem)).toBeInTheDocument();
    expect(screen.queryByText(/needs Build & test/)).not.toBeInTheDocument();
    expect(
      screen.getByText(
        /Next: level 1, Builds: Build & test could not be checked/,
      ),
    ).toBeInTheDocument();
  });

  it('says when the repository was only partly read, and shows what it could not find as "could not check"', async () => {
    const api = mockApi({
      getScorecard: async () =>
        scorecardResponse({
          files: { 'src/index.ts': 'export {};' },
          truncated: true,
        }),
    });
    await renderCard({ api });

    expect(
      await screen.findByText(
        /The repository was only partly read: the first 1 of more files/,
      ),
    ).toBeInTheDocument();
    const build = await screen.findByRole('button', {
      name: /^Build & test/,
    });
    expect(build).toHaveTextContent('Could not check');
    expect(build).not.toHaveTextContent('Missing');
  });

  it('shows the backend message when the scorecard cannot be loaded', async () => {
    const error = await responseError(
      500,
      'Error',
      'The scorecard store is unavailable',
    );
    const api = mockApi({
      getScorecard: async () => {
        throw error;
      },
    });
    await renderCard({ api });
    expect(
      await screen.findByText(
        /Could not load the platform maturity scorecard: The scorecard store is unavailable/,
      ),
    ).toBeInTheDocument();
  });

  describe('before the first evaluation', () => {
    it('offers to evaluate now, and shows the new scorecard', async () => {
      const response = scorecardResponse();
      const api = mockApi({
        getScorecard: async () => undefined,
        refreshScorecard: async () => response,
      });
      await renderCard({ api });

      expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'Evaluate now' }),
      );
      expect(api.refreshScorecard).toHaveBeenCalledWith({
        kind: 'Component',
        namespace: 'default',
        name: 'orders',
      });
      expect(
        await screen.findByRole('progressbar', {
          name: 'Platform maturity score',
        }),
      ).toHaveAttribute(
        'aria-valuenow',
        String(Math.round(response.scorecard.score!)),
      );
      expect(screen.queryByText('Not evaluated yet')).not.toBeInTheDocument();
    });

    it('says when it will be evaluated to users who may not evaluate it', async () => {
      const api = mockApi({ getScorecard: async () => undefined });
      await renderCard({ api, entity: serviceNamed('restricted-orders') });
      expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
      expect(
        screen.getByText(/its scorecard appears after the next run/),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Evaluate now' }),
      ).not.toBeInTheDocument();
    });

    it('shows why evaluating failed', async () => {
      const error = await responseError(
        403,
        'NotAllowedError',
        'You may not re-evaluate component:default/orders',
      );
      const api = mockApi({
        getScorecard: async () => undefined,
        refreshScorecard: async () => {
          throw error;
        },
      });
      await renderCard({ api });
      await userEvent.click(
        await screen.findByRole('button', { name: 'Evaluate now' }),
      );
      expect(
        await screen.findByText(
          'Re-evaluation failed: You may not re-evaluate component:default/orders',
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('Not evaluated yet')).toBeInTheDocument();
    });
  });

  describe('out of scope', () => {
    it('when no check of the checklist applies to the entity', async () => {
      const api = mockApi({ getScorecard: async () => undefined });
      await renderCard({ api, entity: apiEntity });
      expect(await screen.findByText('Out of scope')).toBeInTheDocument();
      expect(
        screen.getByText(
          'No platform maturity check applies to this API of type openapi, so it has no scorecard.',
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Evaluate now' }),
      ).not.toBeInTheDocument();
    });

    it('decides by the backend checklist, not only the defaults', async () => {
      const wider = checklistOf(ruleset);
      wider.checks = wider.checks.map(check => ({
        ...check,
        appliesTo: { kind: { $in: ['Component', 'API'] } },
      }));
      const api = mockApi({
        getScorecard: async () => undefined,
        getChecklist: async () => wider,
      });
      await renderCard({ api, entity: apiEntity });
      expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    });

    it('when the stored scorecard says so', async () => {
      const api = mockApi({
        getScorecard: async () => scorecardResponse({ entity: apiEntity }),
      });
      await renderCard({ api, entity: apiEntity });
      expect(await screen.findByText('Out of scope')).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /^Build & test/ }),
      ).not.toBeInTheDocument();
    });
  });

  describe('re-evaluation', () => {
    it('is offered to users who hold the refresh permission', async () => {
      const before = scorecardResponse({ files: null });
      const after = scorecardResponse();
      const api = mockApi({
        getScorecard: async () => before,
        refreshScorecard: async () => after,
      });
      await renderCard({ api });

      const button = await screen.findByRole('button', {
        name: 'Re-evaluate now',
      });
      expect(
        screen.getByRole('progressbar', { name: 'Platform maturity score' }),
      ).toHaveAttribute(
        'aria-valuenow',
        String(Math.round(before.scorecard.score!)),
      );
      await userEvent.click(button);
      await waitFor(() =>
        expect(
          screen.getByRole('progressbar', { name: 'Platform maturity score' }),
        ).toHaveAttribute(
          'aria-valuenow',
          String(Math.round(after.scorecard.score!)),
        ),
      );
      expect(api.refreshScorecard).toHaveBeenCalledTimes(1);
      // What changed, announced; the button rests so that a burst of clicks does not repeat it.
      expect(await screen.findByRole('status')).toHaveTextContent(
        `Re-evaluated: score ${roundScore(
          before.scorecard.score!,
        )} → ${roundScore(after.scorecard.score!)}, still level 0 Unpaved.`,
      );
      expect(button).toBeDisabled();
    });

    it('says when a re-evaluation changed nothing', async () => {
      const same = scorecardResponse();
      const api = mockApi({
        getScorecard: async () => same,
        refreshScorecard: async () => scorecardResponse(),
      });
      await renderCard({ api });
      await userEvent.click(
        await screen.findByRole('button', { name: 'Re-evaluate now' }),
      );
      expect(await screen.findByRole('status')).toHaveTextContent(
        `Re-evaluated: nothing changed (score ${roundScore(
          same.scorecard.score!,
        )}, level 0 Unpaved).`,
      );
    });

    it('is absent for users without the permission on the entity', async () => {
      const entity = serviceNamed('restricted-payments');
      const api = mockApi({
        getScorecard: async () => scorecardResponse({ entity }),
      });
      await renderCard({ api, entity });
      expect(
        await screen.findByRole('progressbar', {
          name: 'Platform maturity score',
        }),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Re-evaluate now' }),
      ).not.toBeInTheDocument();
    });
  });
});
