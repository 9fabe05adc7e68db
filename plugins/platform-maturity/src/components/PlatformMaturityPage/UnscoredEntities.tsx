import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { platformMaturityApiRef } from '../../api/PlatformMaturityApi';

/**
 * The number of entities the latest evaluation run could not score, with their reasons on
 * demand, as a row of the overview's grid; nothing when it scored every entity (or when the
 * run cannot be read: the overview reports the summary's own errors).
 */
export function UnscoredEntities() {
  const api = useApi(platformMaturityApiRef);
  const run = useAsync(() => api.getLatestRun(), [api]);
  const [open, setOpen] = useState(false);
  const latest = run.value;
  if (!latest || latest.failed === 0) {
    return null;
  }
  const count = latest.failed;
  const listed = latest.unscored ?? [];
  return (
    <Grid item xs={12}>
      <Alert
        severity="warning"
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
          {count} {count === 1 ? 'entity' : 'entities'} could not be scored in
          the latest evaluation run; their scorecards are missing or out of
          date.
        </Typography>
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
