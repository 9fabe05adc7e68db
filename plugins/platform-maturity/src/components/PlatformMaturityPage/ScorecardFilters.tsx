import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import InputAdornment from '@material-ui/core/InputAdornment';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type {
  CapabilityId,
  ChecklistResponse,
  SummaryGroupBy,
} from '@paved/plugin-platform-maturity-common';
import { ChangeEvent, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { levelLabel } from './format';
import type { SummaryLoader } from './types';
import {
  hasFilters,
  MAX_SEARCH_LENGTH,
  normalizeEntityRef,
  type EntityOrderBy,
  type ViewState,
} from './viewState';

const SEARCH_DEBOUNCE_MS = 300;

const ORDER_BY_LABELS: Record<EntityOrderBy, string> = {
  entityRef: 'Entity ref',
  name: 'Name',
  owner: 'Owner',
  score: 'Score',
  level: 'Level',
  evaluatedAt: 'Evaluated at',
};

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  search: { minWidth: theme.spacing(28), flex: '1 1 auto' },
  owner: { minWidth: theme.spacing(28), flex: '1 1 auto' },
  select: { minWidth: theme.spacing(16) },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    width: '100%',
  },
}));

/** The keys of a summary, as the options of a filter; selected values stay listed. */
function useOptions(
  summaries: SummaryLoader,
  groupBy: SummaryGroupBy,
  selected: string[],
): string[] {
  const { value } = useAsync(() => summaries(groupBy), [summaries, groupBy]);
  const keys = (value?.groups ?? [])
    .map(g => g.key)
    .filter((k): k is string => k !== null);
  return [...new Set([...keys, ...selected])].sort();
}

function stringValues(event: ChangeEvent<{ value: unknown }>): string[] {
  return event.target.value as string[];
}

function MultiSelect(props: {
  id: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  value: string[];
  onChange: (value: string[]) => void;
  className: string;
}) {
  const { id, label, options, value, onChange, className } = props;
  const labels = new Map(options.map(o => [o.value, o.label]));
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value}
      className={className}
      onChange={event => onChange(stringValues(event))}
      SelectProps={{
        multiple: true,
        renderValue: selected =>
          (selected as string[]).map(v => labels.get(v) ?? v).join(', '),
      }}
    >
      {options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          <Checkbox
            checked={value.includes(o.value)}
            size="small"
            inputProps={{ 'aria-hidden': true }}
            tabIndex={-1}
          />
          <ListItemText primary={o.label} />
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * The filters and sort of the entity table. Every control is labelled; the search box writes to
 * the view after a short pause in typing.
 */
export function ScorecardFilters(props: {
  view: ViewState;
  checklist: ChecklistResponse;
  summaries: SummaryLoader;
  onChange: (
    patch: Partial<ViewState>,
    options?: { replace?: boolean },
  ) => void;
  onClear: () => void;
}) {
  const { view, checklist, summaries, onChange, onClear } = props;
  const classes = useStyles();

  // The search box has its own state while typing; the view gets it after a pause. `pushed`
  // remembers what was written so that a change of the view from elsewhere (back button, clear)
  // resets the box, while an older value arriving during typing does not.
  const [search, setSearch] = useState(view.q);
  const pushed = useRef(view.q);
  useEffect(() => {
    if (view.q !== pushed.current) {
      pushed.current = view.q;
      setSearch(view.q);
    }
  }, [view.q]);
  useDebounce(
    () => {
      if (search !== pushed.current) {
        pushed.current = search;
        onChange({ q: search }, { replace: true });
      }
    },
    SEARCH_DEBOUNCE_MS,
    [search],
  );

  const owners = useOptions(summaries, 'owner', view.owner);
  const kinds = useOptions(summaries, 'kind', view.kind);
  const lifecycles = useOptions(summaries, 'lifecycle', view.lifecycle);
  const levels = checklist.levels.map(l => ({
    value: String(l.level),
    label: levelLabel(l.level, l.name),
  }));
  for (const level of view.level) {
    if (!levels.some(l => l.value === String(level))) {
      levels.push({ value: String(level), label: levelLabel(level) });
    }
  }

  const drillDownFilters = [
    ...view.system.map(ref => ({
      label: `System: ${ref}`,
      remove: () => onChange({ system: view.system.filter(s => s !== ref) }),
    })),
    ...view.domain.map(ref => ({
      label: `Domain: ${ref}`,
      remove: () => onChange({ domain: view.domain.filter(d => d !== ref) }),
    })),
  ];

  return (
    <div className={classes.root} role="search" aria-label="Filter entities">
      <TextField
        id="platform-maturity-search"
        label="Search"
        type="search"
        placeholder="Name, title or entity ref"
        className={classes.search}
        value={search}
        onChange={event => setSearch(event.target.value)}
        inputProps={{ maxLength: MAX_SEARCH_LENGTH }}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon fontSize="small" />
            </InputAdornment>
          ),
        }}
      />
      <Autocomplete
        id="platform-maturity-owner"
        className={classes.owner}
        multiple
        freeSolo
        size="small"
        options={owners}
        value={view.owner}
        onChange={(_event, value) =>
          onChange({
            owner: [
              ...new Set(
                (value as string[])
                  .filter(v => v.trim())
                  .map(v => normalizeEntityRef(v, 'group')),
              ),
            ],
          })
        }
        renderInput={params => (
          <TextField
            {...params}
            label="Owner"
            placeholder="group:default/team"
          />
        )}
      />
      <MultiSelect
        id="platform-maturity-kind"
        label="Kind"
        className={classes.select}
        options={kinds.map(k => ({ value: k, label: k }))}
        value={view.kind}
        onChange={kind => onChange({ kind })}
      />
      <MultiSelect
        id="platform-maturity-lifecycle"
        label="Lifecycle"
        className={classes.select}
        options={lifecycles.map(l => ({ value: l, label: l }))}
        value={view.lifecycle}
        onChange={lifecycle => onChange({ lifecycle })}
      />
      <MultiSelect
        id="platform-maturity-level"
        label="Level"
        className={classes.select}
        options={levels}
        value={view.level.map(String)}
        onChange={level => onChange({ level: level.map(Number) })}
      />
      <TextField
        id="platform-maturity-failing-capability"
        select
        label="Failing capability"
        className={classes.select}
        value={view.failingCapability ?? ''}
        onChange={event =>
          onChange({
            failingCapability: (event.target.value || undefined) as
              | CapabilityId
              | undefined,
          })
        }
      >
        <MenuItem value="">
          <em>Any</em>
        </MenuItem>
        {checklist.capabilities.map(c => (
          <MenuItem key={c.id} value={c.id}>
            {c.title}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="platform-maturity-order-by"
        select
        label="Order by"
        className={classes.select}
        value={view.orderBy}
        onChange={event =>
          onChange({ orderBy: event.target.value as EntityOrderBy })
        }
      >
        {Object.entries(ORDER_BY_LABELS).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="platform-maturity-order"
        select
        label="Direction"
        className={classes.select}
        value={view.order}
        onChange={event =>
          onChange({ order: event.target.value === 'desc' ? 'desc' : 'asc' })
        }
      >
        <MenuItem value="asc">Ascending</MenuItem>
        <MenuItem value="desc">Descending</MenuItem>
      </TextField>
      <Button
        variant="outlined"
        disabled={!hasFilters(view)}
        onClick={() => {
          pushed.current = '';
          setSearch('');
          onClear();
        }}
      >
        Clear filters
      </Button>
      {drillDownFilters.length > 0 && (
        <div className={classes.chips}>
          {drillDownFilters.map(f => (
            <Chip
              key={f.label}
              label={f.label}
              onClick={f.remove}
              onDelete={f.remove}
              aria-label={`Remove the filter ${f.label}`}
            />
          ))}
        </div>
      )}
    </div>
  );
}
