import { fork } from 'node:child_process';
import http from 'node:http';

// Drives GET requests at a fixed number of keep-alive connections, in a child process so that the
// load does not share the server's event loop. Each connection sends its next request as soon as
// the previous answer is read (closed loop), for a warm-up and then for the measured time.

/**
 * What the parent asks of the load process.
 *
 * @internal
 */
export interface LoadRequest {
  port: number;
  /** Request paths; each request takes one at random. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  warmUpSeconds: number;
  seconds: number;
}

/**
 * Latencies in milliseconds and counts of the measured period.
 *
 * @internal
 */
export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const RESULT = 'paved-bench-load-result';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function drive(request: LoadRequest): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: request.connections,
  });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(
        {
          agent,
          host: '127.0.0.1',
          port: request.port,
          path,
          headers: request.headers,
        },
        res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });

  let latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let measuring = false;
  let stop = false;
  const connection = async () => {
    while (!stop) {
      const path =
        request.paths[Math.floor(Math.random() * request.paths.length)];
      const start = process.hrtime.bigint();
      try {
        const status = await get(path);
        if (measuring) {
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      } catch {
        if (measuring) {
          errors++;
        }
      }
    }
  };
  const running = Array.from({ length: request.connections }, connection);
  await new Promise(resolve =>
    setTimeout(resolve, request.warmUpSeconds * 1000),
  );
  latencies = [];
  measuring = true;
  const start = process.hrtime.bigint();
  await new Promise(resolve => setTimeout(resolve, request.seconds * 1000));
  measuring = false;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  stop = true;
  await Promise.all(running);
  agent.destroy();

  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    errors,
    statuses,
    seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/**
 * Runs the load from a child process (this file, forked with the parent's Node options).
 *
 * @internal
 */
export function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { stdio: 'inherit' });
    // The module transform of the Backstage CLI also talks over this channel ('watch' messages).
    child.on('message', message => {
      const { type, result } = message as {
        type?: string;
        result?: LoadResult;
      };
      if (type === RESULT) {
        resolve(result!);
      }
    });
    child.once('error', reject);
    child.once('exit', code => {
      if (code !== 0) {
        reject(new Error(`The load process exited with code ${code}`));
      }
    });
    child.send(request);
  });
}

if (require.main === module) {
  process.once('message', message => {
    drive(message as LoadRequest).then(
      result => process.send!({ type: RESULT, result }, () => process.exit(0)),
      error => {
        process.stderr.write(`${error?.stack ?? error}\n`);
        process.exit(1);
      },
    );
  });
}
