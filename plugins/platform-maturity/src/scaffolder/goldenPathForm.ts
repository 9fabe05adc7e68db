import type {
  ApiHolder,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DeliveryTargetsResponse,
  ServiceNameRuleResponse,
} from '@paved/plugin-platform-maturity-common';

/** The APIs the form fields call the golden-path module's routes with. */
export interface GoldenPathFormApis {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

/** The APIs of an `ApiHolder`, as a field's validation function gets it. */
export function formApisOf(apiHolder: ApiHolder): GoldenPathFormApis {
  const discoveryApi = apiHolder.get(discoveryApiRef);
  const fetchApi = apiHolder.get(fetchApiRef);
  if (!discoveryApi || !fetchApi) {
    throw new Error('The discovery and fetch APIs are not available');
  }
  return { discoveryApi, fetchApi };
}

async function get<T>(apis: GoldenPathFormApis, route: string): Promise<T> {
  // The routes belong to the golden-path module of the scaffolder backend.
  const base = await apis.discoveryApi.getBaseUrl('scaffolder');
  const response = await apis.fetchApi.fetch(`${base}/paved/v1/${route}`);
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return (await response.json()) as T;
}

/** The naming rule `paved:policy:check` applies. */
export function getServiceNameRule(
  apis: GoldenPathFormApis,
): Promise<ServiceNameRuleResponse> {
  return get(apis, 'service-name-rule');
}

/** Where a change to the entity can go; without an entity, where a new service can go. */
export function getDeliveryTargets(
  apis: GoldenPathFormApis,
  entityRef?: string,
): Promise<DeliveryTargetsResponse> {
  return get(
    apis,
    `delivery-targets${
      entityRef ? `?entityRef=${encodeURIComponent(entityRef)}` : ''
    }`,
  );
}
