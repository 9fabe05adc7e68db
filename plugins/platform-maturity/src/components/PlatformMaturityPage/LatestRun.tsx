import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  EvaluationRun,
  RunProgress,
} from '@paved/plugin-platform-maturity-common';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';
import { formatDateTime } from './format';

/** How often the run is read again while it is in progress (the backend renews it about as often). */
const REFRESH_MS = 10_000;

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`;

/** What a run in progress has done, its pace and its expected end, in one sentence. */
function describeProgress(run: EvaluationRun, progress?: RunProgress): string {
  const since = `since ${formatDateTime(run.startedAt)}`;
  if (!progress) {
    return `Evaluating the catalog ${since}: listing its entities.`;
  }
  const share =
    progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
  const parts = [
    `Evaluating the catalog ${since}: ${progress.done.toLocaleString()} of ${plural(
      progress.total,
      'entity',
      'entities',
    )} (${share}%)`,
  ];
  if (progress.perMinute !== null) {
    parts.push(`${progress.perMinute.toLocaleString()} per minute`);
  }
  if (progress.estimatedFinishAt !== null) {
    parts.push(
      `expected to finish around ${formatDateTime(progress.estimatedFinishAt)}`,
    );
  }
  return `${parts.join(', ')}.`;
}

/** What a finished run did, in one sentence. */
function describeOutcome(run: EvaluationRun): string {
  const when = formatDateTime(run.finishedAt ?? run.startedAt);
  if (run.status === 'failed') {
    return `The latest evaluation run (started ${formatDateTime(
      run.startedAt,
    )}) stopped before the end of the catalog${
      run.error ? `: ${run.error}` : ''
    }. It had evaluated ${plural(
      run.evaluated,
      'entity',
      'entities',
    )}; the next run begins with those it did not reach.`;
  }
  const counts = [
    `${plural(run.evaluated, 'entity', 'entities')} evaluated`,
    `${run.skipped.toLocaleString()} unchanged`,
  ];
  if (run.removed > 0) {
    counts.push(`${run.removed.toLocaleString()} removed`);
  }
  return `The latest evaluation run finished ${when}: ${counts.join(', ')}.`;
}

/**
 * The latest evaluation run, as a row of the overview's grid: while it runs, how far it has come
 * (refreshed every ten seconds), its pace, its expected end and any wait for a Git host's API
 * budget; once it has ended, its outcome. Either way, the entities it could not score, with their
 * reasons on demand. Nothing when there is no run yet or it cannot be read (the overview reports
 * the summary's own errors).
 */
export function LatestRun(props: { refreshMs?: number }) {
  const { refreshMs = REFRESH_MS } = props;
  const api = useApi(platformMaturityApiRef);
  const run = useAsyncRetry(() => api.getLatestRun(), [api]);
  const [open, setOpen] = useState(false);
  const latest = run.value;
  const running = latest?.status === 'running';
  const { retry } = run;
  useEffect(() => {
    if (!running) {
      return undefined;
    }
    const timer = setInterval(retry, refreshMs);
    return () => clearInterval(timer);
  }, [running, retry, refreshMs]);
  if (!latest) {
    return null;
  }
  const { progress } = latest;
  const count = latest.failed;
  const listed = latest.unscored ?? [];
  let severity: 'info' | 'success' | 'warning' = 'success';
  if (running) {
    severity = 'info';
  } else if (latest.status === 'failed' || count > 0) {
    severity = 'warning';
  }
  return (
    <Grid item xs={12}>
      <Alert
        severity={severity}
        aria-label="Latest evaluation run"
        action={
          listed.length > 0 ? (
            <Button
              color="inherit"
              size="small"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {open ? 'Hide reasons' : 'Show reasons'}
            </Button>
          ) : undefined
        }
      >
        <Typography variant="body2">
          {running
            ? describeProgress(latest, progress)
            : describeOutcome(latest)}
        </Typography>
        {running && progress && progress.total > 0 && (
          <Box mt={1} mb={1}>
            <LinearProgress
              variant="determinate"
              value={Math.min(100, (progress.done / progress.total) * 100)}
              aria-label="Evaluation progress"
            />
          </Box>
        )}
        {running && progress?.waitingForBudget && (
          <Typography variant="body2">
            Waiting for the API budget of {progress.waitingForBudget.host} until{' '}
            {formatDateTime(progress.waitingForBudget.until)}; reads go on then.
          </Typography>
        )}
        {count > 0 && (
          <Typography variant="body2">
            {plural(count, 'entity', 'entities')} could not be scored{' '}
            {running ? 'so far' : 'in this run'}; their scorecards are missing
            or out of date.
          </Typography>
        )}
        {open && (
          <Box
            component="ul"
            mt={1}
            mb={0}
            pl={2}
            aria-label="Entities that could not be scored"
          >
            {listed.map(entity => (
              <li key={entity.entityRef}>
                <Typography variant="body2">
                  <code>{entity.entityRef}</code>: {entity.reason}
                </Typography>
              </li>
            ))}
            {listed.length < count && (
              <li>
                <Typography variant="body2">
                  and {count - listed.length} more not listed.
                </Typography>
              </li>
            )}
          </Box>
        )}
      </Alert>
    </Grid>
  );
}
