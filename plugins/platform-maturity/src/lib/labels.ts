import type {
  CapabilityStatus,
  CheckStatus,
} from '@paved/plugin-platform-maturity-common';

/** How a check status reads on screen; `unknown` is "could not check", never a failure. */
export const CHECK_STATUS_LABELS: Record<CheckStatus, string> = {
  pass: 'Passed',
  fail: 'Failing',
  waived: 'Waived',
  'not-applicable': 'Not applicable',
  unknown: 'Could not check',
};

/** How a capability status reads on screen. */
export const CAPABILITY_STATUS_LABELS: Record<CapabilityStatus, string> = {
  complete: 'Complete',
  partial: 'Partial',
  missing: 'Missing',
  'not-applicable': 'Not applicable',
  unknown: 'Could not check',
};
