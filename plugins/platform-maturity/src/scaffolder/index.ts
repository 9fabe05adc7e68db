export { ServiceNamePicker, serviceNameValidation } from './ServiceNamePicker';
export {
  DeliveryTargetPicker,
  deliveryTargetValidation,
} from './DeliveryTargetPicker';
export type { DeliveryTargetPickerOptions } from './DeliveryTargetPicker';
