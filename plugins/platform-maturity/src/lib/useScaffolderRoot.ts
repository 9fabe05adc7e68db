import { useRouteRef } from '@backstage/core-plugin-api';
import { scaffolderRootRouteRef } from '../routes';

/** The path the scaffolder is mounted at, `/create` when the route is not bound. */
export function useScaffolderRoot(): string {
  const scaffolderRoot = useRouteRef(scaffolderRootRouteRef);
  return scaffolderRoot?.() ?? '/create';
}
