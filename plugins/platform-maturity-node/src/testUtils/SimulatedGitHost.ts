import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTarball } from './tarball';

/**
 * The owner of the generated repositories.
 *
 * @public
 */
export const GENERATED_OWNER = 'org';

/**
 * The name of the generated repository number `index` (from 0): `service-00042`.
 *
 * @public
 */
export function generatedRepositoryName(index: number): string {
  return `${GENERATED_OWNER}/service-${String(index).padStart(5, '0')}`;
}

/**
 * The files of a generated repository: a service whose evidence varies with its number (some have
 * a Helm chart, an OpenTelemetry SDK, autoscaling, migrations) and with its revision (each push
 * changes the README and, on odd revisions, adds a deployment workflow).
 *
 * @public
 */
export function generatedFiles(
  index: number,
  revision: number,
): Record<string, string> {
  const files: Record<string, string> = {
    'README.md': `# service ${index}\n\nRevision ${revision}.\n`,
    '.github/workflows/ci.yml': [
      'on: [push]',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: npm ci && npm test',
      '      - run: docker build -t ghcr.io/org/service:${{ github.sha }} .',
      '',
    ].join('\n'),
    'package.json': JSON.stringify(
      {
        name: `service-${index}`,
        version: '1.0.0',
        dependencies:
          index % 3 === 0 ? { '@opentelemetry/sdk-node': '^0.57.0' } : {},
      },
      null,
      2,
    ),
    Dockerfile: 'FROM node:22-slim\nCOPY . .\nCMD ["node", "index.js"]\n',
    'src/index.js': `console.log('service ${index}');\n`,
  };
  if (index % 2 === 0) {
    files['chart/Chart.yaml'] =
      'apiVersion: v2\nname: service\nversion: 1.0.0\n';
    files['chart/templates/hpa.yaml'] =
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n';
  }
  if (index % 5 === 0) {
    files['migrations/001_init.sql'] = 'CREATE TABLE orders (id int);\n';
  }
  if (revision % 2 === 1) {
    files['.github/workflows/deploy.yml'] =
      'on: [push]\njobs:\n  deploy:\n    steps:\n      - run: helm upgrade --install service chart\n';
  }
  return files;
}

/**
 * Calls and bytes the host served, by endpoint.
 *
 * @public
 */
export interface SimulatedGitHostStats {
  /** Calls that count against the rate limit, by endpoint. */
  calls: {
    repository: number;
    status: number;
    tarball: number;
    contents: number;
  };
  /** All calls that counted against the rate limit. */
  totalCalls: number;
  /** Calls refused because the budget was used up (they do not count, as on GitHub). */
  rateLimited: number;
  /** Calls to `/rate_limit`, which never count. */
  rateLimitChecks: number;
  /** Response body bytes of the counted calls. */
  bytes: number;
  /** The counted calls of each rate-limit window, oldest first (`reset` in seconds). */
  windows: { reset: number; calls: number }[];
}

interface Repository {
  revision: number;
  /** Files set by a test; the generated ones otherwise. */
  files?: Record<string, string>;
  index?: number;
}

/**
 * A GitHub Enterprise host on 127.0.0.1 for tests and benchmarks, so that Backstage's real
 * `GithubUrlReader` reads repositories over HTTP as it does from GitHub. It serves the REST
 * endpoints the reader calls (`/repos/{owner}/{repo}`, `/commits/{ref}/status`,
 * `/tarball/{sha}`, `/contents/{path}`) and `/rate_limit` for thousands of generated
 * repositories (`org/service-00000` …, built on demand, tarballs in memory), with GitHub's
 * rate-limit headers and answers: every counted call takes one from the budget; past it, calls get
 * `exceededStatus` (403 by default, as GitHub's primary limit) with `x-ratelimit-remaining: 0`,
 * `x-ratelimit-reset` and `retry-after`, until the window resets.
 *
 * @public
 */
export class SimulatedGitHost {
  readonly stats: SimulatedGitHostStats = {
    calls: { repository: 0, status: 0, tarball: 0, contents: 0 },
    totalCalls: 0,
    rateLimited: 0,
    rateLimitChecks: 0,
    bytes: 0,
    windows: [],
  };
  private readonly server: http.Server;
  private readonly repositories = new Map<string, Repository>();
  private readonly generated: number;
  private readonly token: string;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly exceededStatus: 403 | 429;
  private readonly latencyMs: number;
  private windowEnd = 0;
  private used = 0;

  private constructor(options: {
    repositories: number;
    token: string;
    rateLimit: { limit: number; windowMs: number; exceededStatus?: 403 | 429 };
    latencyMs: number;
  }) {
    this.generated = options.repositories;
    this.token = options.token;
    this.limit = options.rateLimit.limit;
    this.windowMs = options.rateLimit.windowMs;
    this.exceededStatus = options.rateLimit.exceededStatus ?? 403;
    this.latencyMs = options.latencyMs;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  /**
   * Starts a host on a free port of 127.0.0.1. Default: 100 generated repositories, token
   * `simulated-token`, 5,000 calls per hour.
   */
  static async start(
    options: {
      repositories?: number;
      token?: string;
      rateLimit?: {
        limit: number;
        windowMs: number;
        exceededStatus?: 403 | 429;
      };
      /** Delay of every counted answer, after the call is counted; default none. */
      latencyMs?: number;
    } = {},
  ): Promise<SimulatedGitHost> {
    const host = new SimulatedGitHost({
      repositories: options.repositories ?? 100,
      token: options.token ?? 'simulated-token',
      rateLimit: options.rateLimit ?? { limit: 5000, windowMs: 3_600_000 },
      latencyMs: options.latencyMs ?? 0,
    });
    await new Promise<void>(resolve =>
      host.server.listen(0, '127.0.0.1', resolve),
    );
    return host;
  }

  /** `127.0.0.1:<port>`: the host of every URL on it. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The entry of `integrations.github` that makes Backstage read from this host. */
  integrationConfig() {
    return {
      host: this.host,
      apiBaseUrl: `http://${this.host}/api/v3`,
      rawBaseUrl: `http://${this.host}/raw`,
      token: this.token,
    };
  }

  /** The URL of a repository's tree, as a `backstage.io/source-location` holds it (without `url:`). */
  treeUrl(fullName: string, options: { ref?: string; path?: string } = {}) {
    const ref = options.ref ?? 'main';
    const sub = options.path ? `${options.path.replace(/\/+$/, '')}/` : '';
    return `http://${this.host}/${fullName}/tree/${ref}/${sub}`;
  }

  /** Adds or replaces a repository with the given files (a push when it exists). */
  setRepository(fullName: string, files: Record<string, string>): string {
    const existing = this.repository(fullName);
    this.repositories.set(fullName, {
      revision: existing ? existing.revision + 1 : 0,
      files,
    });
    return this.shaOf(fullName);
  }

  /** A push to a repository's default branch: a new revision, a new commit SHA. */
  push(fullName: string): string {
    const repository = this.repository(fullName);
    if (!repository) {
      throw new Error(`No repository ${fullName} on the simulated host`);
    }
    repository.revision++;
    return this.shaOf(fullName);
  }

  /** The commit SHA the default branch of a repository points at. */
  shaOf(fullName: string): string {
    const repository = this.repository(fullName);
    if (!repository) {
      throw new Error(`No repository ${fullName} on the simulated host`);
    }
    return createHash('sha1')
      .update(`${fullName}@${repository.revision}`)
      .digest('hex');
  }

  /** The rate limit as `/rate_limit` would answer it now. */
  rateLimit(): { limit: number; remaining: number; reset: number } {
    this.roll();
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - this.used),
      reset: this.windowEnd / 1000,
    };
  }

  /** Uses `calls` of the budget as another client of the same credentials would (the catalog). */
  consume(calls: number): void {
    this.roll();
    this.used = Math.min(this.limit, this.used + calls);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private repository(fullName: string): Repository | undefined {
    let repository = this.repositories.get(fullName);
    if (!repository) {
      const match = /^org\/service-(\d{5})$/.exec(fullName);
      const index = match ? Number(match[1]) : -1;
      if (index < 0 || index >= this.generated) {
        return undefined;
      }
      repository = { revision: 0, index };
      this.repositories.set(fullName, repository);
    }
    return repository;
  }

  private filesOf(repository: Repository): Record<string, string> {
    return (
      repository.files ?? generatedFiles(repository.index!, repository.revision)
    );
  }

  /** Starts a new window when the current one has ended; windows end on a whole second. */
  private roll() {
    const now = Date.now();
    if (now >= this.windowEnd) {
      this.windowEnd = Math.ceil((now + this.windowMs) / 1000) * 1000;
      this.used = 0;
      this.stats.windows.push({ reset: this.windowEnd / 1000, calls: 0 });
    }
  }

  private rateLimitHeaders(): Record<string, string> {
    const { limit, remaining, reset } = this.rateLimit();
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
    };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const send = (
      status: number,
      body: string | Buffer,
      headers: Record<string, string> = {},
      counted = true,
    ) => {
      const data = typeof body === 'string' ? Buffer.from(body) : body;
      if (counted) {
        this.stats.bytes += data.length;
      }
      const answer = () => {
        res.writeHead(status, {
          'content-length': String(data.length),
          ...headers,
        });
        res.end(data);
      };
      if (counted && this.latencyMs > 0) {
        setTimeout(answer, this.latencyMs);
      } else {
        answer();
      }
    };
    const json = (status: number, value: unknown, counted = true) =>
      send(
        status,
        JSON.stringify(value),
        { 'content-type': 'application/json', ...this.rateLimitHeaders() },
        counted,
      );

    const authorization = req.headers.authorization ?? '';
    if (authorization.replace(/^(Bearer|token) /, '') !== this.token) {
      json(401, { message: 'Bad credentials' }, false);
      return;
    }
    if (req.method !== 'GET') {
      json(405, { message: 'Method not allowed' }, false);
      return;
    }
    if (url.pathname === '/api/v3/rate_limit') {
      this.stats.rateLimitChecks++;
      const core = { ...this.rateLimit(), used: this.used };
      json(200, { resources: { core }, rate: core }, false);
      return;
    }

    const match =
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)(?:\/(commits|tarball|contents)\/(.+?))?(\/status)?$/.exec(
        url.pathname,
      );
    const kind = match ? endpointOf(match[3], Boolean(match[5])) : undefined;
    if (!match || !kind) {
      json(404, { message: 'Not Found' }, false);
      return;
    }

    this.roll();
    if (this.used >= this.limit) {
      this.stats.rateLimited++;
      send(
        this.exceededStatus,
        JSON.stringify({ message: 'API rate limit exceeded' }),
        {
          'content-type': 'application/json',
          ...this.rateLimitHeaders(),
          'retry-after': String(
            Math.max(1, Math.ceil((this.windowEnd - Date.now()) / 1000)),
          ),
        },
        false,
      );
      return;
    }
    this.used++;
    this.stats.windows[this.stats.windows.length - 1].calls++;
    this.stats.calls[kind]++;
    this.stats.totalCalls++;

    const fullName = `${decodeURIComponent(match[1])}/${decodeURIComponent(
      match[2],
    )}`;
    const repository = this.repository(fullName);
    if (!repository) {
      json(404, { message: 'Not Found' });
      return;
    }
    const sha = this.shaOf(fullName);
    const api = `http://${this.host}/api/v3/repos/${fullName}`;
    const ref = decodeURIComponent(match[4] ?? '');
    const knownRef = ref === 'main' || ref === sha;

    if (kind === 'repository') {
      json(200, {
        full_name: fullName,
        default_branch: 'main',
        archive_url: `${api}/{archive_format}{/ref}`,
        trees_url: `${api}/git/trees{/sha}`,
      });
    } else if (kind === 'status') {
      if (!knownRef) {
        json(404, { message: 'No commit found for SHA' });
        return;
      }
      json(200, {
        state: 'success',
        sha,
        total_count: 0,
        statuses: [],
        repository: {
          full_name: fullName,
          archive_url: `${api}/{archive_format}{/ref}`,
          trees_url: `${api}/git/trees{/sha}`,
        },
      });
    } else if (kind === 'tarball') {
      if (ref !== sha) {
        json(404, { message: 'Not Found' });
        return;
      }
      const top = `${fullName.replace('/', '-')}-${sha.slice(0, 7)}`;
      send(200, buildTarball(top, this.filesOf(repository)), {
        'content-type': 'application/x-gzip',
        ...this.rateLimitHeaders(),
      });
    } else {
      const fileRef = url.searchParams.get('ref') ?? 'main';
      const content = this.filesOf(repository)[ref];
      if (content === undefined || (fileRef !== 'main' && fileRef !== sha)) {
        json(404, { message: 'Not Found' });
        return;
      }
      send(200, content, {
        'content-type': 'application/vnd.github.v3.raw',
        etag: `"${sha}"`,
        ...this.rateLimitHeaders(),
      });
    }
  }
}

/** The endpoint a path under `/repos/{owner}/{repo}` names, if the host serves it. */
function endpointOf(
  part: string | undefined,
  status: boolean,
): keyof SimulatedGitHostStats['calls'] | undefined {
  if (!part) {
    return 'repository';
  }
  if (part === 'commits') {
    return status ? 'status' : undefined;
  }
  return part === 'tarball' || part === 'contents' ? part : undefined;
}
