import TableCell, { type TableCellProps } from '@material-ui/core/TableCell';
import type { Capability } from '@paved/plugin-platform-maturity-common';

/** A short column label for a capability: its id in words, for example `As code`. */
export function shortCapabilityLabel(capability: Capability): string {
  const words = capability.id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A narrow table header for a capability column: the short label shown, the full title as its
 * accessible name and tooltip.
 */
export function CapabilityHeaderCell(
  props: { capability: Capability } & Omit<TableCellProps, 'children'>,
) {
  const { capability, ...cellProps } = props;
  return (
    <TableCell align="right" aria-label={capability.title} {...cellProps}>
      <abbr title={capability.title}>{shortCapabilityLabel(capability)}</abbr>
    </TableCell>
  );
}
