import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { checkServiceName } from '@paved/plugin-platform-maturity-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { formApisOf, getServiceNameRule } from './goldenPathForm';

/**
 * The name of a new service: checked as it is typed with the naming rule the server applies
 * (`goldenPath.policy.namePattern`, served by the golden-path module), and checked to be free in
 * the catalog when the step is submitted.
 */
export function ServiceNamePicker(props: FieldExtensionComponentProps<string>) {
  const {
    formData,
    onChange,
    required,
    rawErrors,
    schema: { title = 'Name', description },
    idSchema,
  } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const rule = useAsync(
    () => getServiceNameRule({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
  const [touched, setTouched] = useState(false);
  const live =
    touched && rule.value ? checkServiceName(formData, rule.value) : undefined;
  const submitted = rawErrors?.length ? rawErrors[0] : undefined;
  const error = live ?? submitted;
  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      required={required}
      value={formData ?? ''}
      onChange={event => {
        setTouched(true);
        onChange(event.target.value || undefined);
      }}
      onBlur={() => setTouched(true)}
      error={Boolean(error)}
      helperText={error ?? description}
      margin="normal"
      fullWidth
      inputProps={{ autoComplete: 'off', spellCheck: false }}
      FormHelperTextProps={{ role: error ? 'alert' : undefined }}
    />
  );
}

/** The checks of the step's Next: the naming rule, then whether the name is taken. */
export const serviceNameValidation: CustomFieldValidator<string> = async (
  name,
  validation,
  { apiHolder },
) => {
  const rule = await getServiceNameRule(formApisOf(apiHolder));
  const problem = checkServiceName(name, rule);
  if (problem) {
    validation.addError(problem);
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  const ref = stringifyEntityRef({
    kind: 'Component',
    namespace: DEFAULT_NAMESPACE,
    name,
  });
  if (catalogApi && (await catalogApi.getEntityByRef(ref))) {
    validation.addError(
      `${ref} already exists in the catalog; choose another name.`,
    );
  }
};
