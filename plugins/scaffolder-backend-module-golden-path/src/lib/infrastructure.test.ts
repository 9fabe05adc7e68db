import { mockWorkspace } from '../__testUtils__/runAction';
import {
  capabilityStatuses,
  readTree,
  scoreWorkspace,
} from '../__testUtils__/scoreWorkspace';
import { planInfrastructure, renderTerraformModule } from './infrastructure';

/**
 * The structural problems of an HCL file, as far as they can be found
 * without Terraform: unbalanced brackets, unterminated strings or comments
 * (strings may nest interpolations), top-level lines that are not a block
 * header with the labels its type needs, and `=` signs that `terraform fmt`
 * would align differently.
 */
function hclProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  // `"` inside an interpolation opens a nested string: track string and interpolation levels.
  const modes: Array<'code' | 'string'> = ['code'];
  const interpolationDepth: number[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const mode = modes[modes.length - 1];
    if (c === '\n') {
      if (mode === 'string') {
        problems.push(`line ${line}: unterminated string`);
        modes.pop();
      }
      line++;
      continue;
    }
    if (mode === 'string') {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        modes.pop();
      } else if (c === '$' && text[i + 1] === '{') {
        modes.push('code');
        interpolationDepth.push(stack.length);
        stack.push('{');
        i++;
      }
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) {
        problems.push(`line ${line}: unterminated comment`);
        break;
      }
      line += text.slice(i, end).split('\n').length - 1;
      i = end + 1;
    } else if (c === '"') {
      modes.push('string');
    } else if ('{[('.includes(c)) {
      stack.push(c);
    } else if ('}])'.includes(c)) {
      if (stack.pop() !== pairs[c]) {
        problems.push(`line ${line}: unbalanced ${c}`);
      }
      if (
        c === '}' &&
        interpolationDepth[interpolationDepth.length - 1] === stack.length
      ) {
        interpolationDepth.pop();
        modes.pop();
      }
    }
  }
  if (stack.length > 0) {
    problems.push(`unclosed ${stack.join('')}`);
  }

  const labels: Record<string, number> = {
    terraform: 0,
    locals: 0,
    provider: 1,
    variable: 1,
    output: 1,
    module: 1,
    resource: 2,
    data: 2,
  };
  const lines = text.split('\n');
  let depth = 0;
  lines.forEach((l, index) => {
    const trimmed = l.trim();
    if (depth === 0 && trimmed && !trimmed.startsWith('#')) {
      const header = l.match(/^([a-z_]+)((?: "[A-Za-z0-9_-]+")*) \{\}?$/);
      const type = header?.[1] ?? '';
      const count = (header?.[2].match(/"/g) ?? []).length / 2;
      if (!header || labels[type] !== count) {
        problems.push(`line ${index + 1}: not a block header: ${l}`);
      }
    }
    const code = trimmed.startsWith('#')
      ? ''
      : l.replace(/"(?:\\.|[^"])*"/g, '""');
    depth +=
      (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
  });

  // Consecutive one-line attributes of a block have their `=` one space after the longest key.
  let group: Array<{ line: number; keyEnd: number; column: number }> = [];
  const flush = () => {
    const column = Math.max(...group.map(g => g.keyEnd)) + 1;
    if (group.some(g => g.column !== column)) {
      problems.push(
        `lines ${group[0].line}-${group[group.length - 1].line}: = not aligned`,
      );
    }
    group = [];
  };
  lines.forEach((l, index) => {
    const attribute = l.match(/^( *)("[^"]+"|[a-z_][a-z0-9_]*)( +)= /);
    if (!attribute || /[{[(]$/.test(l.trim())) {
      flush();
      return;
    }
    const keyEnd = attribute[1].length + attribute[2].length;
    if (
      group.length > 0 &&
      l.search(/\S/) !== lines[group[0].line - 1].search(/\S/)
    ) {
      flush();
    }
    group.push({
      line: index + 1,
      keyEnd,
      column: keyEnd + attribute[3].length,
    });
  });
  flush();
  return problems;
}

/** The names a module declares and refers to, to find references to nothing. */
function undeclaredReferences(module: Record<string, string>): string[] {
  const text = Object.entries(module)
    .filter(([p]) => p.endsWith('.tf'))
    .map(([, content]) => content.replace(/^\s*#.*$/gm, ''))
    .join('\n');
  const declared = new Set([
    ...[...text.matchAll(/^variable "([^"]+)"/gm)].map(m => `var.${m[1]}`),
    ...[...text.matchAll(/^resource "([^"]+)" "([^"]+)"/gm)].map(
      m => `${m[1]}.${m[2]}`,
    ),
  ]);
  const locals = text.match(/^locals \{\n([\s\S]*?)^\}/m)?.[1] ?? '';
  for (const m of locals.matchAll(/^ {2}([a-z_]+) += /gm)) {
    declared.add(`local.${m[1]}`);
  }
  const used = [
    ...text.matchAll(
      /\b(var\.[a-z_]+|local\.[a-z_]+|kubernetes_[a-z0-9_]+\.[a-z_]+)\b/g,
    ),
  ].map(m => m[1]);
  return [...new Set(used)].filter(ref => !declared.has(ref));
}

const FOOTPRINT = {
  name: 'orders',
  entityNamespace: 'default',
  owner: 'group:default/team-orders',
  system: 'system:default/commerce',
};

describe('renderTerraformModule', () => {
  it('writes a Terraform module whose files are well-formed HCL that refers only to what it declares', () => {
    const module = renderTerraformModule(FOOTPRINT);
    expect(Object.keys(module)).toEqual([
      'infra/main.tf',
      'infra/variables.tf',
      'infra/outputs.tf',
      'infra/README.md',
    ]);
    const problems = Object.entries(module)
      .filter(([file]) => file.endsWith('.tf'))
      .map(([file, content]) => ({ file, problems: hclProblems(content) }));
    expect(problems).toEqual([
      { file: 'infra/main.tf', problems: [] },
      { file: 'infra/variables.tf', problems: [] },
      { file: 'infra/outputs.tf', problems: [] },
    ]);
    expect(undeclaredReferences(module)).toEqual([]);
    expect(module['infra/main.tf']).toMatch(
      /required_providers \{\n {4}kubernetes = \{\n {6}source {2}= "hashicorp\/kubernetes"/,
    );
    expect(module['infra/main.tf']).toContain(
      'resource "kubernetes_namespace_v1" "service" {',
    );
    expect(module['infra/main.tf']).toContain(
      'resource "kubernetes_service_account_v1" "service" {',
    );
  });

  it('finds the problems it is meant to find', () => {
    expect(hclProblems('terraform {\n  a = "x"\n')).toEqual(['unclosed {']);
    expect(hclProblems('resource "a" {\n}\n')).toEqual([
      'line 1: not a block header: resource "a" {',
    ]);
    expect(hclProblems('locals {\n  a = "x\n}\n')).toEqual([
      'line 2: unterminated string',
    ]);
    expect(hclProblems('locals {\n  a = "${upper("{x")}"\n}\n')).toEqual([]);
    expect(hclProblems('locals {\n  a = 1\n  bb = 2\n}\n')).toEqual([
      'lines 2-3: = not aligned',
    ]);
    expect(hclProblems('locals {\n  a = "${var.x}"\n}\n')).toEqual([]);
    expect(
      undeclaredReferences({ 'a.tf': 'output "x" {\n  value = var.y\n}\n' }),
    ).toEqual(['var.y']);
  });

  it("sets the service's values from its catalog entity as variable defaults", () => {
    const variables = renderTerraformModule(FOOTPRINT)['infra/variables.tf'];
    const defaults = Object.fromEntries(
      [
        ...variables.matchAll(
          /^variable "([a-z_]+)" \{[\s\S]*?^ {2}default += "([^"]*)"/gm,
        ),
      ].map(m => [m[1], m[2]]),
    );
    expect(defaults).toEqual({
      name: 'orders',
      namespace: 'orders',
      service_account: 'orders',
      owner: 'team-orders',
      system: 'commerce',
    });
    expect(variables).toContain('catalog owner (group:default/team-orders)');
  });

  it('makes Kubernetes names and label values of any entity name, and quotes strings safely', () => {
    const module = renderTerraformModule({
      name: 'Orders_Service.v2',
      entityNamespace: 'shop',
      owner: 'user:jane"${x}',
      system: undefined,
    });
    const variables = module['infra/variables.tf'];
    expect(variables).toContain('default     = "Orders_Service.v2"');
    expect(variables).toContain('default     = "orders-service-v2"');
    expect(variables).toContain('default     = "jane-x"');
    expect(variables).toContain('(user:jane\\"$${x})');
    expect(variables).toMatch(/variable "system" \{[\s\S]*default {5}= ""/);
    expect(hclProblems(variables)).toEqual([]);
  });
});

describe('planInfrastructure', () => {
  const { mockDir, files: workspaceFiles } = mockWorkspace();

  async function plan() {
    const files = workspaceFiles();
    const decision = await planInfrastructure(files, FOOTPRINT);
    return { decision, results: await files.apply() };
  }

  it('makes as-code.infrastructure pass on an empty workspace, and decides the same the second time', async () => {
    const first = await plan();
    expect(first.decision).toEqual({
      infrastructure: 'terraform',
      directory: 'infra',
    });
    expect(first.results.map(r => r.change)).toEqual([
      'created',
      'created',
      'created',
      'created',
    ]);
    const statuses = capabilityStatuses(
      await scoreWorkspace(mockDir.path),
      'as-code',
    );
    expect(statuses['as-code.infrastructure']).toBe('pass');

    const second = await plan();
    expect(second.decision.infrastructure).toBe('terraform');
    expect(second.results.map(r => r.change)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it("keeps an edited file of its own and reports it, since it is no longer the module's", async () => {
    await plan();
    mockDir.addContent({
      'infra/main.tf': `${
        renderTerraformModule(FOOTPRINT)['infra/main.tf']
      }\n# edited\n`,
    });
    const { results } = await plan();
    expect(results[0]).toEqual({
      path: 'infra/main.tf',
      change: 'skipped',
      reason:
        'kept the existing infra/main.tf; set overwrite: true to replace it',
    });
  });

  it.each([
    [
      'Terraform of its own in infra/',
      { 'infra/main.tf': 'resource "aws_s3_bucket" "b" {}\n' },
    ],
    ['OpenTofu', { 'tofu/main.tofu': 'resource "x" "y" {}\n' }],
    ['Pulumi', { 'deploy/Pulumi.yaml': 'name: orders\nruntime: nodejs\n' }],
    ['AWS CDK', { 'cdk/cdk.json': '{"app": "npx ts-node bin/app.ts"}\n' }],
    [
      'CloudFormation',
      {
        'template.yaml':
          "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
      },
    ],
    [
      'a Crossplane claim',
      {
        'infra/database.yaml':
          'apiVersion: database.example.org/v1alpha1\nkind: PostgreSQLInstance\nspec:\n  writeConnectionSecretToRef:\n    name: db\n',
      },
    ],
  ])('writes nothing when the repository has %s', async (_tool, content) => {
    mockDir.setContent(content);
    const { decision, results } = await plan();
    expect(decision.infrastructure).toBe('existing');
    expect(results).toEqual([]);
    expect(readTree(mockDir.path)).toEqual(content);
  });
});
