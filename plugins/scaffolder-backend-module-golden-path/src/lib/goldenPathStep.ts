import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { GoldenPathConfig } from '../config';
import { goldenPathContent, GoldenPathContent } from './content';
import {
  goldenPathPolicy,
  requiredServiceName,
  serviceNameInput,
} from './inputs';
import { CiProvider, resolveCiProvider, resolveStack, Stack } from './stacks';
import { FileResult, WorkspaceFiles } from './workspace';

/**
 * What a golden-path action reads from its config once, when it is created: the policy and the
 * content it renders.
 *
 * @internal
 */
export type GoldenPathSetup = {
  /** `goldenPath.policy`; `undefined` without a config (everything allowed). */
  policy: GoldenPathConfig['policy'] | undefined;
  content: GoldenPathContent;
};

/**
 * The setup of an action from its options: the policy of `config`, and the content given (as
 * the module loads it at start-up) or else the content of `config`.
 *
 * @throws InputError naming the key or the content file when either is invalid
 * @internal
 */
export function goldenPathSetup(options: {
  config?: Config;
  content?: GoldenPathContent;
}): GoldenPathSetup {
  return {
    policy: goldenPathPolicy(options.config),
    content: options.content ?? goldenPathContent(options.config),
  };
}

/** The inputs that the step's resolvers read, as the file-writing actions name them. */
type StepInput = {
  path?: string;
  overwrite?: boolean;
  name?: string;
  stack?: string;
  ciProvider?: string;
};

/**
 * One run of a file-writing action: its inputs, its planned workspace files, and the
 * resolution of the inputs most actions share, under the policy.
 *
 * @internal
 */
export class GoldenPathStep<TInput extends StepInput> {
  readonly input: TInput;
  readonly files: WorkspaceFiles;
  readonly logger: LoggerService;
  readonly content: GoldenPathContent;
  readonly policy: GoldenPathSetup['policy'];

  constructor(
    ctx: { input: TInput; workspacePath: string; logger: LoggerService },
    setup: GoldenPathSetup,
  ) {
    this.input = ctx.input;
    this.logger = ctx.logger;
    this.files = WorkspaceFiles.forAction(ctx);
    this.content = setup.content;
    this.policy = setup.policy;
  }

  /** The `stack` input, else the detected stack; either must be an allowed one. */
  stack(): Promise<Stack> {
    return resolveStack(
      this.files,
      this.input.stack,
      this.policy?.allowedStacks,
    );
  }

  /** The `ciProvider` input, else the detected provider; either must be an allowed one. */
  ciProvider(): Promise<CiProvider> {
    return resolveCiProvider(
      this.files,
      this.input.ciProvider,
      this.policy?.allowedCiProviders,
    );
  }

  /** The `name` input when given, checked against the naming rule. */
  name(): string | undefined {
    return serviceNameInput(this.input.name, this.policy?.namePattern);
  }

  /** The `name` input, else the name the repository gives the service; checked. */
  requiredName(): Promise<string> {
    return requiredServiceName(
      this.files,
      this.input.name,
      this.policy?.namePattern,
    );
  }
}

/**
 * Runs a file-writing action: `plan` validates the inputs and plans every file on a
 * {@link GoldenPathStep}, then the plan is applied and the outputs `plan` returned are set,
 * followed by `files` (what happened to each planned file). An output whose value is
 * `undefined` is left unset.
 *
 * @internal
 */
export async function runGoldenPathStep<
  TInput extends StepInput,
  TOutput extends { [name: string]: unknown },
>(
  ctx: {
    input: TInput;
    workspacePath: string;
    logger: LoggerService;
    output(name: keyof TOutput, value: TOutput[keyof TOutput]): void;
  },
  setup: GoldenPathSetup,
  plan: (
    step: GoldenPathStep<TInput>,
  ) => Promise<{ [K in Exclude<keyof TOutput, 'files'>]?: TOutput[K] }>,
): Promise<void> {
  const step = new GoldenPathStep(ctx, setup);
  const outputs = await plan(step);
  const results: FileResult[] = await step.files.apply();
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) {
      ctx.output(name as keyof TOutput, value as TOutput[keyof TOutput]);
    }
  }
  ctx.output('files', results as TOutput[keyof TOutput]);
}
