/**
 * Comments are never evidence: a commented-out step, dependency or manifest line neither passes
 * nor fails a check, and is never cited. The engine hands the checks each file with its comments
 * blanked out, line numbers kept, so that every check and every configured `content` pattern sees
 * only what the tools that read the file would run.
 */

/** How a kind of file writes comments. */
type CommentStyle = 'hash' | 'slash' | 'slash+hash' | 'xml';

/** File names (lower-case) whose comment style is not told by an extension. */
const STYLE_BY_NAME: ReadonlyMap<string, CommentStyle> = new Map([
  ['makefile', 'hash'],
  ['gnumakefile', 'hash'],
  ['dockerfile', 'hash'],
  ['containerfile', 'hash'],
  ['justfile', 'hash'],
  ['.justfile', 'hash'],
  ['gemfile', 'hash'],
  ['pipfile', 'hash'],
  ['procfile', 'hash'],
  ['codeowners', 'hash'],
  ['jenkinsfile', 'slash'],
]);

/** Extensions (lower-case, without the dot) and their comment style. */
const STYLE_BY_EXTENSION: ReadonlyMap<string, CommentStyle> = new Map([
  ...(
    [
      'yml',
      'yaml',
      'sh',
      'bash',
      'zsh',
      'mk',
      'toml',
      'py',
      'rb',
      'gemspec',
      'rake',
      'ex',
      'exs',
      'cfg',
      'conf',
      'ini',
      'properties',
      'dockerfile',
      'txt',
      'env',
    ] as const
  ).map(e => [e, 'hash'] as const),
  ...(
    [
      'js',
      'jsx',
      'mjs',
      'cjs',
      'ts',
      'tsx',
      'mts',
      'cts',
      'go',
      'java',
      'kt',
      'kts',
      'scala',
      'groovy',
      'gradle',
      'cs',
      'fs',
      'rs',
      'swift',
      'jenkinsfile',
      'json5',
      'jsonc',
      'php',
      'dart',
      'c',
      'cc',
      'cpp',
      'h',
    ] as const
  ).map(e => [e, 'slash'] as const),
  ...(['tf', 'hcl', 'nomad', 'tfvars'] as const).map(
    e => [e, 'slash+hash'] as const,
  ),
  ...(
    ['xml', 'csproj', 'fsproj', 'vbproj', 'props', 'targets', 'config'] as const
  ).map(e => [e, 'xml'] as const),
]);

/** A name whose style its start tells, though it has an extension: `Dockerfile.dev`, `Jenkinsfile.prod`. */
const NAMED_WITH_EXTENSION =
  /(?:^|\/)(?:dockerfile|makefile|jenkinsfile)\.[^/]*$/i;

/** The comment style of a file, from its name; undefined for files without comments (JSON, Markdown). */
function styleOf(path: string): CommentStyle | undefined {
  // Most names are lower-case already, and their extension decides: no new string is made.
  const lastDot = path.lastIndexOf('.');
  if (lastDot > path.lastIndexOf('/')) {
    const style = STYLE_BY_EXTENSION.get(path.slice(lastDot + 1));
    if (style && !NAMED_WITH_EXTENSION.test(path)) {
      return style;
    }
  }
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = STYLE_BY_NAME.get(name);
  if (byName) {
    return byName;
  }
  if (name.startsWith('dockerfile.') || name.startsWith('makefile.')) {
    return 'hash';
  }
  if (name.startsWith('jenkinsfile.')) {
    return 'slash';
  }
  const dot = name.lastIndexOf('.');
  return dot === -1 ? undefined : STYLE_BY_EXTENSION.get(name.slice(dot + 1));
}

/**
 * A line that is only a `#` comment (with its indentation), and a trailing `#` comment after
 * whitespace outside quotes. Each alternative of a prefix starts with a different character, so
 * the patterns run in linear time on any line.
 */
const HASH_LINE = /^[ \t]*#[^\n]*/gm;
const HASH_TRAILING = /^((?:[^'"#\n]|"[^"\n]*"|'[^'\n]*')*?[ \t])#[^\n]*/gm;
const SLASH_LINE = /^[ \t]*\/\/[^\n]*/gm;
const SLASH_TRAILING =
  /^((?:[^'"`/\n]|\/(?![/*])|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`)*?[ \t])\/\/[^\n]*/gm;
/** Where a block comment starts a line (after indentation): not inside a string such as a glob. */
const SLASH_BLOCK_START = /^[ \t]*\/\*/gm;
const XML_COMMENT_START = '<!--';
const XML_COMMENT_END = '-->';

/** The text with every character but line breaks removed, so that line numbers stay. */
function keepLineBreaks(text: string): string {
  return text.replace(/[^\n]+/g, '');
}

/**
 * The text with each comment from `start` (found by `opening`) to `end` reduced to its line
 * breaks. One pass: an unclosed comment runs to the end of the text.
 */
function blankBlocks(
  text: string,
  opening: (from: number) => number,
  openLength: number,
  end: string,
): string {
  let out = '';
  let from = 0;
  for (let at = opening(0); at !== -1; at = opening(from)) {
    const close = text.indexOf(end, at + openLength);
    const stop = close === -1 ? text.length : close + end.length;
    out += text.slice(from, at) + keepLineBreaks(text.slice(at, stop));
    from = stop;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * The content of a file with its comments removed, each line where it was: full-line comments
 * become empty lines, trailing comments are cut, block comments keep only their line breaks.
 * Files whose comment syntax is not known (JSON, Markdown, …) are returned as they are.
 */
export function withoutComments(path: string, content: string): string {
  const style = styleOf(path);
  if (!style) {
    return content;
  }
  let text = content;
  if (style === 'xml') {
    return text.includes(XML_COMMENT_START)
      ? blankBlocks(
          text,
          from => text.indexOf(XML_COMMENT_START, from),
          XML_COMMENT_START.length,
          XML_COMMENT_END,
        )
      : text;
  }
  if (style !== 'hash') {
    if (text.includes('/*')) {
      const source = text;
      text = blankBlocks(
        source,
        from => {
          SLASH_BLOCK_START.lastIndex = from;
          const match = SLASH_BLOCK_START.exec(source);
          return match ? match.index + match[0].length - 2 : -1;
        },
        2,
        '*/',
      );
    }
    if (text.includes('//')) {
      text = text
        .replace(SLASH_LINE, '')
        .replace(SLASH_TRAILING, (_, code: string) => code.trimEnd());
    }
  }
  if (style !== 'slash' && text.includes('#')) {
    text = text
      .replace(HASH_LINE, '')
      .replace(HASH_TRAILING, (_, code: string) => code.trimEnd());
  }
  return text;
}
