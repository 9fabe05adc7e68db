import { parseToml } from '../__testUtils__/parse';
import {
  addGoRequirements,
  addNpmDependencies,
  addPyprojectDependencies,
  addPythonRequirements,
  pyprojectDependencyStyle,
} from './dependencyManifests';

const OTEL = {
  '@opentelemetry/sdk-node': '^0.301.0',
  '@opentelemetry/api': '^1.9.0',
};

describe('addNpmDependencies', () => {
  it('inserts into a sorted section at the sorted place, keeping the rest byte for byte', () => {
    const text = [
      '{',
      '  "name": "orders",',
      '  "files": ["dist"],',
      '  "dependencies": {',
      '    "@fastify/cors": "^9.0.0",',
      '    "fastify": "^4.0.0"',
      '  },',
      '  "devDependencies": { "@opentelemetry/api": "1.8.0" }',
      '}',
      '',
    ].join('\n');
    const result = addNpmDependencies(text, OTEL) as string;
    expect(result).toBe(
      [
        '{',
        '  "name": "orders",',
        '  "files": ["dist"],',
        '  "dependencies": {',
        '    "@fastify/cors": "^9.0.0",',
        '    "@opentelemetry/sdk-node": "^0.301.0",',
        '    "fastify": "^4.0.0"',
        '  },',
        '  "devDependencies": { "@opentelemetry/api": "1.8.0" }',
        '}',
        '',
      ].join('\n'),
    );
    expect(addNpmDependencies(result, OTEL)).toBe(result);
  });

  it('appends to an unsorted section and keeps tabs and CRLF', () => {
    const text =
      '{\r\n\t"name": "x",\r\n\t"dependencies": {\r\n\t\t"zod": "^4",\r\n\t\t"axios": "^1"\r\n\t}\r\n}';
    const result = addNpmDependencies(text, { pg: '^8.0.0' }) as string;
    expect(result).toBe(
      '{\r\n\t"name": "x",\r\n\t"dependencies": {\r\n\t\t"zod": "^4",\r\n\t\t"axios": "^1",\r\n\t\t"pg": "^8.0.0"\r\n\t}\r\n}',
    );
    expect(JSON.parse(result).dependencies).toEqual({
      zod: '^4',
      axios: '^1',
      pg: '^8.0.0',
    });
  });

  it('adds several entries before the same key in their own order', () => {
    const text = '{\n  "dependencies": {\n    "zod": "^4"\n  }\n}\n';
    expect(addNpmDependencies(text, { knex: '^3', pg: '^8' })).toBe(
      '{\n  "dependencies": {\n    "knex": "^3",\n    "pg": "^8",\n    "zod": "^4"\n  }\n}\n',
    );
  });

  it('creates the section when absent, or fills an empty one', () => {
    const withoutSection = '{\n    "name": "x",\n    "version": "1.0.0"\n}\n';
    const created = addNpmDependencies(withoutSection, { pg: '^8' }) as string;
    expect(created).toBe(
      '{\n    "name": "x",\n    "version": "1.0.0",\n    "dependencies": {\n        "pg": "^8"\n    }\n}\n',
    );
    const empty = '{\n  "name": "x",\n  "dependencies": {}\n}\n';
    expect(addNpmDependencies(empty, { pg: '^8', knex: '^3' })).toBe(
      '{\n  "name": "x",\n  "dependencies": {\n    "pg": "^8",\n    "knex": "^3"\n  }\n}\n',
    );
    expect(
      JSON.parse(addNpmDependencies('{}', { pg: '^8' }) as string),
    ).toEqual({
      dependencies: { pg: '^8' },
    });
  });

  it('lays out the lines it changes one entry per line, the rest as it was', () => {
    const text =
      '{\n  "name": "x", "private": true,\n  "dependencies": {"a": "1"}\n}\n';
    expect(addNpmDependencies(text, { b: '2' })).toBe(
      '{\n  "name": "x", "private": true,\n  "dependencies": {\n    "a": "1",\n    "b": "2"\n  }\n}\n',
    );
  });

  it('never changes a declared dependency and reports invalid manifests', () => {
    const text =
      '{\n  "devDependencies": {\n    "@opentelemetry/sdk-node": "0.1.0"\n  }\n}\n';
    expect(JSON.parse(addNpmDependencies(text, OTEL) as string)).toEqual({
      devDependencies: { '@opentelemetry/sdk-node': '0.1.0' },
      dependencies: { '@opentelemetry/api': '^1.9.0' },
    });
    expect(addNpmDependencies('{ nope', OTEL)).toEqual({
      conflict: expect.stringContaining('package.json is not valid JSON'),
    });
    expect(addNpmDependencies('[]', OTEL)).toEqual({
      conflict: 'package.json is not a JSON object',
    });
    expect(addNpmDependencies('{"dependencies": []}', OTEL)).toEqual({
      conflict: '"dependencies" in package.json is not an object',
    });
  });
});

describe('addGoRequirements', () => {
  const REQUIRE = {
    'go.opentelemetry.io/otel': 'v1.47.0',
    'go.opentelemetry.io/otel/sdk': 'v1.47.0',
  };

  it('adds to the direct block in sorted order and keeps the indirect block', () => {
    const text = [
      'module example.com/orders',
      '',
      'go 1.23',
      '',
      '// Direct dependencies.',
      'require (',
      '\tgithub.com/go-chi/chi/v5 v5.0.12',
      '\tgolang.org/x/sync v0.7.0',
      ')',
      '',
      'require (',
      '\tgithub.com/google/uuid v1.6.0 // indirect',
      '\tgo.opentelemetry.io/otel v1.20.0 // indirect',
      ')',
      '',
    ].join('\n');
    const result = addGoRequirements(text, REQUIRE);
    expect(result).toBe(
      [
        'module example.com/orders',
        '',
        'go 1.23',
        '',
        '// Direct dependencies.',
        'require (',
        '\tgithub.com/go-chi/chi/v5 v5.0.12',
        '\tgo.opentelemetry.io/otel/sdk v1.47.0',
        '\tgolang.org/x/sync v0.7.0',
        ')',
        '',
        'require (',
        '\tgithub.com/google/uuid v1.6.0 // indirect',
        '\tgo.opentelemetry.io/otel v1.20.0',
        ')',
        '',
      ].join('\n'),
    );
    expect(addGoRequirements(result, REQUIRE)).toBe(result);
  });

  it('adds a block after the directives when there is none, keeping single requires', () => {
    const text =
      'module orders\r\n\r\ngo 1.23\r\ntoolchain go1.23.4\r\n\r\nrequire github.com/lib/pq v1.10.9\r\n';
    expect(addGoRequirements(text, REQUIRE)).toBe(
      'module orders\r\n\r\ngo 1.23\r\ntoolchain go1.23.4\r\n\r\nrequire (\r\n\tgo.opentelemetry.io/otel v1.47.0\r\n\tgo.opentelemetry.io/otel/sdk v1.47.0\r\n)\r\n\r\nrequire github.com/lib/pq v1.10.9\r\n',
    );
  });

  it('leaves a module required with any version alone', () => {
    const text =
      'module orders\n\ngo 1.22\n\nrequire go.opentelemetry.io/otel v1.2.0\nrequire go.opentelemetry.io/otel/sdk v1.2.0\n';
    expect(addGoRequirements(text, REQUIRE)).toBe(text);
  });
});

describe('addPythonRequirements', () => {
  const REQS = [
    { name: 'opentelemetry-sdk', minimum: '1.45' },
    { name: 'psycopg', minimum: '3.3', extras: ['binary'] },
  ];

  it('appends missing requirements and recognises normalised names', () => {
    const text =
      '# web\nFlask==3.0.0  # pinned\n-r base.txt\nOpenTelemetry_SDK>=1.0';
    const result = addPythonRequirements(text, REQS);
    expect(result).toBe(`${text}\npsycopg[binary]~=3.3\n`);
    expect(addPythonRequirements(result, REQS)).toBe(result);
  });

  it('creates the content of a new file', () => {
    expect(addPythonRequirements('', REQS)).toBe(
      'opentelemetry-sdk~=1.45\npsycopg[binary]~=3.3\n',
    );
  });
});

describe('addPyprojectDependencies', () => {
  const REQS = [
    { name: 'opentelemetry-sdk', minimum: '1.45' },
    { name: 'opentelemetry-exporter-otlp-proto-http', minimum: '1.45' },
  ];

  it('adds to a multi-line [project] array, keeping comments and the layout', () => {
    const text = [
      '[build-system]',
      'requires = ["hatchling"]',
      '',
      '[project]',
      'name = "orders"  # the service',
      'dependencies = [',
      '  "fastapi>=0.110", # web',
      '  # "uvicorn",',
      '  "opentelemetry-sdk==1.30.0"',
      ']',
      '',
      '[tool.ruff]',
      'line-length = 100',
      '',
    ].join('\n');
    const result = addPyprojectDependencies(text, REQS) as string;
    expect(result).toBe(
      [
        '[build-system]',
        'requires = ["hatchling"]',
        '',
        '[project]',
        'name = "orders"  # the service',
        'dependencies = [',
        '  "fastapi>=0.110", # web',
        '  # "uvicorn",',
        '  "opentelemetry-sdk==1.30.0",',
        '  "opentelemetry-exporter-otlp-proto-http~=1.45",',
        ']',
        '',
        '[tool.ruff]',
        'line-length = 100',
        '',
      ].join('\n'),
    );
    expect(parseToml(result).project.dependencies).toHaveLength(3);
    expect(addPyprojectDependencies(result, REQS)).toBe(result);
  });

  it('keeps a trailing comma as the only comma after the last value', () => {
    const text = '[project]\ndependencies = [\n  "flask",\n]\n';
    const result = addPyprojectDependencies(text, REQS) as string;
    expect(result).toBe(
      '[project]\ndependencies = [\n  "flask",\n  "opentelemetry-sdk~=1.45",\n  "opentelemetry-exporter-otlp-proto-http~=1.45",\n]\n',
    );
    expect(
      addPyprojectDependencies('[project]\ndependencies = ["flask",]\n', REQS),
    ).toBe(
      '[project]\ndependencies = ["flask", "opentelemetry-sdk~=1.45", "opentelemetry-exporter-otlp-proto-http~=1.45"]\n',
    );
  });

  it('extends an inline array and creates a missing dependencies key', () => {
    const inline = '[project]\nname = "x"\ndependencies = ["flask"]\n';
    expect(addPyprojectDependencies(inline, REQS)).toBe(
      '[project]\nname = "x"\ndependencies = ["flask", "opentelemetry-sdk~=1.45", "opentelemetry-exporter-otlp-proto-http~=1.45"]\n',
    );
    const withoutKey =
      '[project]\nname = "x"\n\n[tool.black]\nline-length = 88\n';
    const created = addPyprojectDependencies(withoutKey, REQS) as string;
    expect(parseToml(created)).toEqual({
      project: {
        name: 'x',
        dependencies: [
          'opentelemetry-sdk~=1.45',
          'opentelemetry-exporter-otlp-proto-http~=1.45',
        ],
      },
      tool: { black: { 'line-length': 88 } },
    });
  });

  it('writes Poetry dependencies with caret constraints', () => {
    const text =
      '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nflask = "^3.0"\n\n[tool.poetry.group.dev.dependencies]\npytest = "^8"\n';
    const result = addPyprojectDependencies(text, [
      ...REQS,
      { name: 'psycopg', minimum: '3.3', extras: ['binary'] },
    ]) as string;
    expect(parseToml(result).tool.poetry.dependencies).toEqual({
      python: '^3.12',
      flask: '^3.0',
      'opentelemetry-sdk': '^1.45',
      'opentelemetry-exporter-otlp-proto-http': '^1.45',
      psycopg: { version: '^3.3', extras: ['binary'] },
    });
    expect(
      result.endsWith('[tool.poetry.group.dev.dependencies]\npytest = "^8"\n'),
    ).toBe(true);
    expect(addPyprojectDependencies(result, REQS)).toBe(result);
  });

  it('knows when a pyproject.toml declares no dependencies', () => {
    expect(
      pyprojectDependencyStyle('[tool.ruff]\nline-length = 1\n'),
    ).toBeUndefined();
    expect(
      pyprojectDependencyStyle(
        '[project]\nname = "x"\ndynamic = ["version", "dependencies"]\n',
      ),
    ).toBeUndefined();
    expect(pyprojectDependencyStyle('[project]\nname = "x"\n')).toBe('pep621');
    expect(addPyprojectDependencies('[tool.ruff]\n', REQS)).toEqual({
      conflict: expect.stringContaining('declares no dependencies'),
    });
  });
});
