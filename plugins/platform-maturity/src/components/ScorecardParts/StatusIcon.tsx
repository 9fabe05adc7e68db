import type { SvgIconProps } from '@material-ui/core/SvgIcon';
import { makeStyles } from '@material-ui/core/styles';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import TimelapseIcon from '@material-ui/icons/Timelapse';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import type {
  CapabilityStatus,
  CheckStatus,
} from '@paved/plugin-platform-maturity-common';
import type { ComponentType } from 'react';
import { CHECK_STATUS_LABELS } from '../../lib/labels';

/** Palette roles, so that the colours follow the light and the dark theme. */
const useStyles = makeStyles(theme => ({
  success: { color: theme.palette.success.main },
  warning: { color: theme.palette.warning.main },
  error: { color: theme.palette.error.main },
  info: { color: theme.palette.info.main },
  disabled: { color: theme.palette.text.disabled },
  /** Unknown evidence is neutral: "could not check" is never a failure. */
  neutral: { color: theme.palette.text.secondary },
}));

type Tone = keyof ReturnType<typeof useStyles>;

const CHECK_ICONS: Record<
  CheckStatus,
  { icon: ComponentType<SvgIconProps>; tone: Tone }
> = {
  pass: { icon: CheckCircleIcon, tone: 'success' },
  fail: { icon: CancelIcon, tone: 'error' },
  waived: { icon: VerifiedUserIcon, tone: 'info' },
  'not-applicable': { icon: RemoveCircleOutlineIcon, tone: 'disabled' },
  unknown: { icon: HelpOutlineIcon, tone: 'neutral' },
};

const CAPABILITY_ICONS: Record<
  CapabilityStatus,
  { icon: ComponentType<SvgIconProps>; tone: Tone }
> = {
  complete: { icon: CheckCircleIcon, tone: 'success' },
  partial: { icon: TimelapseIcon, tone: 'warning' },
  missing: { icon: CancelIcon, tone: 'error' },
  'not-applicable': { icon: RemoveCircleOutlineIcon, tone: 'disabled' },
  unknown: { icon: HelpOutlineIcon, tone: 'neutral' },
};

/** A check's status as an icon whose accessible name is the status ("Could not check", …). */
export function CheckStatusIcon(props: {
  status: CheckStatus;
  fontSize?: SvgIconProps['fontSize'];
}) {
  const classes = useStyles();
  const { icon: Icon, tone } = CHECK_ICONS[props.status];
  return (
    <Icon
      className={classes[tone]}
      fontSize={props.fontSize ?? 'small'}
      titleAccess={CHECK_STATUS_LABELS[props.status]}
      data-status={props.status}
    />
  );
}

/** A capability's status as an icon; the status is also written out beside it. */
export function CapabilityStatusIcon(props: { status: CapabilityStatus }) {
  const classes = useStyles();
  const { icon: Icon, tone } = CAPABILITY_ICONS[props.status];
  return (
    <Icon
      className={classes[tone]}
      fontSize="small"
      aria-hidden="true"
      data-status={props.status}
    />
  );
}

/** The palette role of a capability status, for progress bars. */
export function capabilityTone(
  status: CapabilityStatus,
): 'success' | 'warning' | 'error' | undefined {
  const tone = CAPABILITY_ICONS[status].tone;
  return tone === 'success' || tone === 'warning' || tone === 'error'
    ? tone
    : undefined;
}
