import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DeliveryTargetPicker,
  deliveryTargetValidation,
} from './DeliveryTargetPicker';
import { ServiceNamePicker, serviceNameValidation } from './ServiceNamePicker';

/** The fields as the new frontend system's scaffolder loads them (lazily). */
export const serviceNameFormField = createFormField({
  name: 'PavedServiceNamePicker',
  component: ServiceNamePicker,
  validation: serviceNameValidation,
});

export const deliveryTargetFormField = createFormField({
  name: 'PavedDeliveryTargetPicker',
  component: DeliveryTargetPicker,
  validation: deliveryTargetValidation,
});
