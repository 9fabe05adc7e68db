import { createServer, type Server } from 'node:http';

/** What `/` answers: the service and its version. */
export interface ServiceInfo {
  service: string;
  version: string;
}

/**
 * The HTTP server of ${{ values.name }}: `GET /` describes the service, `GET /healthz` tells the
 * platform the process is up. Anything else is a 404.
 */
export function createApp(info: ServiceInfo): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') {
      send(405, { error: `Method ${req.method} is not allowed` });
    } else if (url.pathname === '/') {
      send(200, info);
    } else if (url.pathname === '/healthz') {
      send(200, { status: 'ok' });
    } else {
      send(404, { error: `No route for ${url.pathname}` });
    }
  });
}
