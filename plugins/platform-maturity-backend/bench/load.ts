import { fork } from 'node:child_process';
import net from 'node:net';

// Drives GET requests at a fixed number of keep-alive connections, in a child process so that the
// load does not share the server's event loop. Each connection sends its next request as soon as
// the previous answer is read (closed loop), for a warm-up and then for the measured time.
//
// The client is a minimal HTTP/1.1 one over `net` sockets, as load generators such as wrk and
// autocannon are: Node's `http` client costs about as much CPU per request as the server, and on
// a 2-core machine every cycle it takes is one the server and the database do not get. It reads
// the status line and `Content-Length` of each answer and counts everything else (chunked answers,
// closed connections) as errors.

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
 * Latencies in milliseconds and counts of the measured period, and the load process's own CPU time
 * per request (user + system), to tell how much of the machine the load took.
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
  clientCpuMsPerRequest: number;
  /** CPU time of the calling process (the server) per request over the measured period. */
  serverCpuMsPerRequest: number;
}

const RESULT = 'paved-bench-load-result';
/** Sent when the measured period starts and ends, so that the server can take its CPU time. */
const WINDOW = 'paved-bench-load-window';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: `get` sends a request and resolves with the answer's status. */
function connect(port: number): Promise<{
  get(request: Buffer): Promise<number>;
  close(): void;
}> {
  return new Promise((resolveConnection, rejectConnection) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let pending:
      | { resolve(status: number): void; reject(error: Error): void }
      | undefined;
    let buffered = Buffer.alloc(0);
    /** Status and total length of the answer being read, once its header is complete. */
    let answer: { status: number; length: number } | undefined;
    const fail = (error: Error) => {
      pending?.reject(error);
      pending = undefined;
      socket.destroy();
    };
    socket.on('data', chunk => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      if (!answer) {
        const end = buffered.indexOf(HEADER_END);
        if (end === -1) {
          return;
        }
        const header = buffered.toString('latin1', 0, end);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(header);
        if (!length) {
          fail(new Error('An answer without Content-Length'));
          return;
        }
        answer = {
          status: Number(header.slice(9, 12)),
          length: end + HEADER_END.length + Number(length[1]),
        };
      }
      if (buffered.length >= answer.length) {
        if (buffered.length > answer.length) {
          fail(new Error('More bytes than the answer'));
          return;
        }
        const { status } = answer;
        buffered = Buffer.alloc(0);
        answer = undefined;
        const done = pending;
        pending = undefined;
        done?.resolve(status);
      }
    });
    socket.once('error', error => {
      rejectConnection(error);
      fail(error);
    });
    socket.once('close', () => fail(new Error('The connection closed')));
    socket.once('connect', () =>
      resolveConnection({
        get: request =>
          new Promise<number>((resolve, reject) => {
            pending = { resolve, reject };
            socket.write(request);
          }),
        close: () => socket.destroy(),
      }),
    );
  });
}

async function drive(request: LoadRequest): Promise<LoadResult> {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const requests = request.paths.map(path =>
    Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${request.port}\r\n${headers}\r\n`,
      'latin1',
    ),
  );

  let latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let measuring = false;
  let stop = false;
  const connection = async () => {
    while (!stop) {
      let client;
      try {
        client = await connect(request.port);
      } catch {
        if (measuring) {
          errors++;
        }
        continue;
      }
      try {
        while (!stop) {
          const next = requests[Math.floor(Math.random() * requests.length)];
          const start = process.hrtime.bigint();
          const status = await client.get(next);
          if (measuring) {
            latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        }
      } catch {
        // A broken connection counts once and is opened again.
        if (measuring) {
          errors++;
        }
      } finally {
        client.close();
      }
    }
  };
  const running = Array.from({ length: request.connections }, connection);
  await new Promise(resolve =>
    setTimeout(resolve, request.warmUpSeconds * 1000),
  );
  latencies = [];
  measuring = true;
  process.send!({ type: WINDOW });
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await new Promise(resolve => setTimeout(resolve, request.seconds * 1000));
  measuring = false;
  process.send!({ type: WINDOW });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  stop = true;
  await Promise.all(running);

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
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / sorted.length,
    serverCpuMsPerRequest: NaN,
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
    let serverCpu: NodeJS.CpuUsage | undefined;
    // The module transform of the Backstage CLI also talks over this channel ('watch' messages).
    child.on('message', message => {
      const { type, result } = message as {
        type?: string;
        result?: LoadResult;
      };
      if (type === WINDOW) {
        serverCpu = serverCpu
          ? process.cpuUsage(serverCpu)
          : process.cpuUsage();
      } else if (type === RESULT) {
        const cpuMs = (serverCpu!.user + serverCpu!.system) / 1000;
        resolve({
          ...result!,
          serverCpuMsPerRequest: cpuMs / result!.requests,
        });
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
