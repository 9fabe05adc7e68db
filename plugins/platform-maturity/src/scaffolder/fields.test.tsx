import {
  discoveryApiRef,
  fetchApiRef,
  type ApiHolder,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  DeliveryTargetsResponse,
  ServiceNameRuleResponse,
} from '@paved/plugin-platform-maturity-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import {
  DeliveryTargetPicker,
  deliveryTargetValidation,
} from './DeliveryTargetPicker';
import { ServiceNamePicker, serviceNameValidation } from './ServiceNamePicker';

const RULE: ServiceNameRuleResponse = {
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
};

const LOCAL_ONLY: DeliveryTargetsResponse = {
  entityRef: 'component:default/orders',
  targets: [
    {
      id: 'scm',
      title: "A pull request to the service's repository",
      available: false,
      reason: 'No integration is configured for git.acme.org.',
    },
    {
      id: 'local',
      title: 'A new commit in the local repository root',
      available: true,
    },
  ],
};

/** The golden-path module's routes, as the fields call them; records the URLs asked for. */
function moduleRoutes(targets: DeliveryTargetsResponse = LOCAL_ONLY) {
  const asked: string[] = [];
  const fetchApi = {
    fetch: jest.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      asked.push(url);
      const body = url.includes('service-name-rule') ? RULE : targets;
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  };
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend/api/${id}`,
  };
  return { asked, fetchApi, discoveryApi };
}

type FieldValidation = Parameters<typeof serviceNameValidation>[1];

function validation() {
  const errors: string[] = [];
  return {
    errors,
    field: { addError: (e: string) => errors.push(e) } as FieldValidation,
  };
}

function apiHolder(
  routes: ReturnType<typeof moduleRoutes>,
  entities: any[] = [],
): ApiHolder {
  const apis = new Map<string, unknown>([
    [discoveryApiRef.id, routes.discoveryApi],
    [fetchApiRef.id, routes.fetchApi],
    [catalogApiRef.id, catalogApiMock({ entities })],
  ]);
  return { get: (ref: { id: string }) => apis.get(ref.id) as any };
}

describe('PavedServiceNamePicker', () => {
  function NameField() {
    const [value, setValue] = useState<string | undefined>();
    return (
      <ServiceNamePicker
        {...({} as any)}
        formData={value}
        onChange={setValue}
        required
        schema={{ title: 'Name', description: 'Also the repository name.' }}
        idSchema={{ $id: 'root_name' } as any}
      />
    );
  }

  it('says what is wrong with the name as it is typed, with the rule the server applies', async () => {
    const routes = moduleRoutes();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, routes.discoveryApi],
          [fetchApiRef, routes.fetchApi],
        ]}
      >
        <NameField />
      </TestApiProvider>,
    );
    expect(screen.getByText('Also the repository name.')).toBeInTheDocument();
    await waitFor(() =>
      expect(routes.asked).toEqual([
        'http://backend/api/scaffolder/paved/v1/service-name-rule',
      ]),
    );
    const input = screen.getByLabelText(/^Name/);
    await userEvent.type(input, 'Orders_Svc.v2');
    expect(
      screen.getByText(
        "'Orders_Svc.v2' is not a valid service name: use lower-case letters, digits and dashes, starting and ending with a letter or digit (like orders-api).",
      ),
    ).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.type(input, 'orders-v2');
    expect(screen.getByText('Also the repository name.')).toBeInTheDocument();
  });

  it('checks at Next that the name follows the rule and is free in the catalog', async () => {
    const routes = moduleRoutes();
    const holder = apiHolder(routes, [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payments', namespace: 'default' },
      },
    ]);
    const context = { apiHolder: holder, formData: {}, schema: {} };
    const taken = validation();
    await serviceNameValidation('payments', taken.field, context);
    expect(taken.errors).toEqual([
      'component:default/payments already exists in the catalog; choose another name.',
    ]);
    const invalid = validation();
    await serviceNameValidation('Orders', invalid.field, context);
    expect(invalid.errors).toEqual([
      "'Orders' is not a valid service name: use lower-case letters, digits and dashes, starting and ending with a letter or digit (like orders-api).",
    ]);
    const free = validation();
    await serviceNameValidation('orders', free.field, context);
    expect(free.errors).toEqual([]);
  });
});

describe('PavedDeliveryTargetPicker', () => {
  const schema = {
    title: 'Deliver the change as',
    oneOf: [
      { const: 'scm', title: "A pull request to the service's repository" },
      { const: 'local', title: 'A new commit in the local repository root' },
    ],
  };

  const TargetFieldValue = ({ value }: { value?: string }) => (
    <output data-testid="value">{value ?? 'none'}</output>
  );

  function TargetField(props: { entity?: string; initial?: string }) {
    const [value, setValue] = useState<string | undefined>(props.initial);
    return (
      <>
        <TargetFieldValue value={value} />
        <DeliveryTargetPicker
          {...({} as any)}
          formData={value}
          onChange={setValue}
          required
          schema={schema}
          uiSchema={{ 'ui:options': { entityField: 'entity' } }}
          idSchema={{ $id: 'root_publishTarget' } as any}
          formContext={{ formData: { entity: props.entity } }}
        />
      </>
    );
  }

  async function render(
    routes: ReturnType<typeof moduleRoutes>,
    props: { entity?: string; initial?: string },
  ) {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, routes.discoveryApi],
          [fetchApiRef, routes.fetchApi],
        ]}
      >
        <TargetField {...props} />
      </TestApiProvider>,
    );
  }

  it('offers only the target that works for the entity, chooses it, and says why the other cannot work', async () => {
    const routes = moduleRoutes();
    // A default the suite cannot deliver to is replaced by the target that works.
    await render(routes, {
      entity: 'component:default/orders',
      initial: 'scm',
    });
    await waitFor(() =>
      expect(screen.getByTestId('value')).toHaveTextContent('local'),
    );
    expect(routes.asked).toEqual([
      'http://backend/api/scaffolder/paved/v1/delivery-targets?entityRef=component%3Adefault%2Forders',
    ]);
    expect(
      screen.getByTestId('delivery-target-unavailable-scm'),
    ).toHaveTextContent(
      "Not offered: A pull request to the service's repository. No integration is configured for git.acme.org.",
    );
    await userEvent.click(screen.getByLabelText(/^Deliver the change as/));
    expect(
      screen.getByRole('option', {
        name: "A pull request to the service's repository",
      }),
    ).toHaveAttribute('aria-disabled', 'true');
  });

  it('asks for the service first, and has no default when several targets work', async () => {
    const routes = moduleRoutes({
      targets: LOCAL_ONLY.targets.map(t => ({ ...t, available: true })),
    });
    await render(routes, {});
    expect(screen.getByText('Choose the service first.')).toBeInTheDocument();
    expect(routes.asked).toEqual([]);

    await render(routes, { entity: 'component:default/orders' });
    await waitFor(() => expect(routes.asked).toHaveLength(1));
    expect(screen.getAllByTestId('value').pop()).toHaveTextContent('none');
  });

  it('refuses at Next a target that cannot work, with the reason', async () => {
    const routes = moduleRoutes();
    const result = validation();
    await deliveryTargetValidation('scm', result.field, {
      apiHolder: apiHolder(routes),
      formData: { entity: 'component:default/orders' },
      schema: {},
      uiSchema: { 'ui:options': { entityField: 'entity' } },
    });
    expect(result.errors).toEqual([
      "A pull request to the service's repository cannot work: No integration is configured for git.acme.org.",
    ]);
  });
});
