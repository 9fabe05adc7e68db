import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import type { DeliveryTarget } from '@paved/plugin-platform-maturity-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { formApisOf, getDeliveryTargets } from './goldenPathForm';

/**
 * The `ui:options` of `PavedDeliveryTargetPicker` in a template.
 *
 * @public
 */
export interface DeliveryTargetPickerOptions {
  /**
   * The form field that holds the entity a change goes to (`entity` in add-capabilities); without
   * it the targets are those of a new service.
   */
  entityField?: string;
}

type Schema = { oneOf?: Array<{ const?: string; title?: string }> };

/** The template's title of a target, else the server's. */
const titleOf = (schema: Schema, target: DeliveryTarget) =>
  schema.oneOf?.find(option => option.const === target.id)?.title ??
  target.title;

function entityRefOf(
  formData: Record<string, unknown> | undefined,
  options: DeliveryTargetPickerOptions | undefined,
): string | undefined | null {
  if (!options?.entityField) {
    return undefined; // a new service
  }
  const value = formData?.[options.entityField];
  return typeof value === 'string' && value ? value : null; // null: not chosen yet
}

/**
 * Where a golden path delivers its result: only the targets that can work are offered (decided
 * by the golden-path module from the entity's source location and the configured integrations),
 * the others are listed with the reason; there is no default, except the only target that works.
 */
export function DeliveryTargetPicker(
  props: FieldExtensionComponentProps<string, DeliveryTargetPickerOptions>,
) {
  const {
    formData,
    onChange,
    required,
    rawErrors,
    schema,
    uiSchema,
    idSchema,
    formContext,
  } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const entityRef = entityRefOf(
    formContext?.formData,
    uiSchema?.['ui:options'] as DeliveryTargetPickerOptions | undefined,
  );
  const answer = useAsync(async () => {
    if (entityRef === null) {
      return undefined;
    }
    return (await getDeliveryTargets({ discoveryApi, fetchApi }, entityRef))
      .targets;
  }, [discoveryApi, fetchApi, entityRef]);
  const targets = answer.value;
  const available = useMemo(
    () => targets?.filter(t => t.available) ?? [],
    [targets],
  );
  const unavailable = targets?.filter(t => !t.available) ?? [];

  // Choose the only target that works; drop a choice that does not work for this entity.
  useEffect(() => {
    if (!targets) {
      return;
    }
    const chosen = targets.find(t => t.id === formData);
    if (available.length === 1 && chosen?.id !== available[0].id) {
      onChange(available[0].id);
    } else if (formData && !chosen?.available) {
      onChange(undefined);
    }
  }, [targets, available, formData, onChange]);

  const title = schema.title ?? 'Deliver as';
  const id = idSchema?.$id ?? 'publishTarget';
  let helper: string | undefined = schema.description;
  if (entityRef === null) {
    helper = 'Choose the service first.';
  } else if (answer.error) {
    helper = `Could not find out where the change can go: ${answer.error.message}`;
  } else if (targets && available.length === 0) {
    helper = 'Nothing can be delivered from this form:';
  }
  const error = Boolean(rawErrors?.length) || Boolean(answer.error);
  return (
    <>
      <TextField
        id={id}
        select
        label={title}
        required={required}
        value={formData ?? ''}
        onChange={event => onChange(event.target.value || undefined)}
        disabled={!targets || available.length === 0}
        error={error}
        helperText={rawErrors?.[0] ?? helper}
        margin="normal"
        fullWidth
      >
        {(targets ?? []).map(target => (
          <MenuItem
            key={target.id}
            value={target.id}
            disabled={!target.available}
          >
            {titleOf(schema as Schema, target)}
          </MenuItem>
        ))}
      </TextField>
      {unavailable.map(target => (
        <Typography
          key={target.id}
          variant="body2"
          color="textSecondary"
          component="p"
          data-testid={`delivery-target-unavailable-${target.id}`}
        >
          <strong>Not offered: {titleOf(schema as Schema, target)}.</strong>{' '}
          {target.reason}
        </Typography>
      ))}
    </>
  );
}

/** The check of the step's Next: the chosen target still works for the entity. */
export const deliveryTargetValidation: CustomFieldValidator<
  string,
  DeliveryTargetPickerOptions
> = async (target, validation, { apiHolder, formData, uiSchema }) => {
  const entityRef = entityRefOf(formData, uiSchema?.['ui:options']);
  if (entityRef === null) {
    return;
  }
  const { targets } = await getDeliveryTargets(
    formApisOf(apiHolder),
    entityRef,
  );
  const chosen = targets.find(t => t.id === target);
  if (chosen && !chosen.available) {
    validation.addError(`${chosen.title} cannot work: ${chosen.reason}`);
  } else if (!chosen && !targets.some(t => t.available)) {
    validation.addError(
      `Nothing can be delivered: ${targets.map(t => t.reason).join(' ')}`,
    );
  }
};
