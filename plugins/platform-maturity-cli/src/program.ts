import {
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
} from 'commander';
import { version } from '../package.json';
import {
  FORMATS,
  scoreCommand,
  type CommandIO,
  type ScoreCommandOptions,
} from './commands/score';
import { ExitCode, isUserError } from './lib/errors';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseLevel(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError('must be a whole number, such as 2.');
  }
  return Number(value);
}

function parseFileCount(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError(
      'must be a whole number of files, at least 1, such as 250000.',
    );
  }
  return Number(value);
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      'must be an absolute URL, such as https://backstage.example.com.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('must be an http or https URL.');
  }
  return value;
}

/**
 * Runs `paved` with the given arguments (`process.argv` shape) and returns the exit code: 0 when
 * every gate passed, 1 when a gate failed, 2 for a usage or configuration error, 3 when an entity
 * is out of scope (unless `--allow-out-of-scope`). User mistakes
 * are reported as one message naming the option or key, never a stack trace.
 *
 * @internal
 */
export async function main(
  argv: string[],
  io: CommandIO & { stderr: { write(text: string): unknown } },
): Promise<number> {
  let exitCode: number = ExitCode.Pass;
  const program = new Command('paved')
    .description(
      'Score a checkout against the platform maturity checklist, the way the Paved backend scores the catalog, and gate pull requests on it.',
    )
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text),
    })
    .showHelpAfterError('(run paved score --help for the options)');

  program
    .command('score')
    .description(
      'Score a directory: repository evidence from its files, the entity from its catalog-info.yaml.',
    )
    .argument('[directory]', 'the directory to score', '.')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(FORMATS)
        .default('table'),
    )
    .option(
      '-c, --config <file>',
      'an app-config file with platformMaturity settings, as the backend reads them (repeatable; later files override earlier ones)',
      collect,
      [],
    )
    .option(
      '--checks <module>',
      'a JavaScript module (file or package) exporting checks written in code, as backend modules add them (repeatable)',
      collect,
      [],
    )
    .option(
      '--entity <file>',
      "the entity file (default: catalog-info.yaml in the directory, and those of its sub-directories in a monorepo); in a sub-directory, its entity is scored with that directory's files and the root pipelines and update-bot configuration",
    )
    .option(
      '--entity-ref <ref>',
      "which entity to score, when the entity file (or the monorepo's catalog files) declare several Components",
    )
    .option(
      '--catalog <file>',
      'entities the owner and Resource lookups see: YAML entity files or JSON from the catalog API (repeatable); without it the owner is not checked',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--max-files <count>',
        'list at most this many files of the directory (default 100000); past it the repository is only partly read, and checks that find nothing among the files listed are unknown',
      ).argParser(parseFileCount),
    )
    .addOption(
      new Option(
        '--backstage-url <url>',
        'the Backstage app that Markdown Fix links open (default: app.baseUrl from --config)',
      ).argParser(parseUrl),
    )
    .addOption(
      new Option(
        '--min-level <level>',
        'fail (exit 1) when the level is below this one',
      ).argParser(parseLevel),
    )
    .addOption(
      new Option(
        '--baseline <file>',
        'compare with the JSON output of an earlier run',
      ).conflicts('baselineRef'),
    )
    .option(
      '--baseline-ref <revision>',
      'compare with the same directory at this git revision, for example origin/main',
    )
    .option(
      '--allow-out-of-scope',
      'exit 0, not 3, when an entity is out of scope (no check applies to its kind or type); the output still says so',
    )
    .option(
      '--fail-on-regression',
      'fail (exit 1) only when a check got worse since the baseline',
    )
    .action(async (directory: string, options: ScoreCommandOptions) => {
      exitCode = await scoreCommand(directory, options, io);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help, or the version).
      return error.exitCode === 0 ? ExitCode.Pass : ExitCode.UsageError;
    }
    if (isUserError(error)) {
      io.stderr.write(`paved: ${(error as Error).message}\n`);
    } else {
      io.stderr.write(
        `paved: unexpected error, please report it: ${
          (error as Error)?.stack ?? String(error)
        }\n`,
      );
    }
    return ExitCode.UsageError;
  }
}
