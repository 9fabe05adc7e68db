import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * `ui:field: PavedServiceNamePicker` for the golden-path templates: the name checked as it is
 * typed and checked to be free before the next step.
 */
export const serviceNamePickerFormField = FormFieldBlueprint.make({
  name: 'service-name-picker',
  params: {
    field: () =>
      import('../scaffolder/formFields').then(m => m.serviceNameFormField),
  },
});

/** `ui:field: PavedDeliveryTargetPicker`: only the delivery targets that can work. */
export const deliveryTargetPickerFormField = FormFieldBlueprint.make({
  name: 'delivery-target-picker',
  params: {
    field: () =>
      import('../scaffolder/formFields').then(m => m.deliveryTargetFormField),
  },
});
