import { type Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES } from '@rnnkit/tensor-core';

import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './usage_error.js';

/** The options every app's sub-commands share, as commander parses them. */
export interface CommonOptions {
  backend: string;
  threads?: number;
  seed: number;
  quick: boolean;
  json: boolean;
  quiet: boolean;
  logJson: boolean;
}

/** Parses a whole number in [min, max]; commander turns the error into "option '--x <n>' argument '…' is invalid". */
export function integerArgument(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number${max === Number.MAX_SAFE_INTEGER ? ` >= ${min}` : ` from ${min} to ${max}`}.`,
      );
    }
    return n;
  };
}

/** Parses a finite number with `low < x` (or `low <= x` when `inclusiveLow`) and `x < high` (or `<=`). */
export function numberArgument(range: {
  low: number;
  high: number;
  inclusiveLow?: boolean;
  inclusiveHigh?: boolean;
}): (value: string) => number {
  const { low, high, inclusiveLow = false, inclusiveHigh = false } = range;
  const text = `${inclusiveLow ? '[' : '('}${low}, ${high}${inclusiveHigh ? ']' : ')'}`;
  return (value) => {
    const n = Number(value);
    const ok =
      value.trim() !== '' &&
      Number.isFinite(n) &&
      (inclusiveLow ? n >= low : n > low) &&
      (inclusiveHigh ? n <= high : n < high);
    if (!ok) throw new InvalidArgumentError(`expected a number in ${text}.`);
    return n;
  };
}

/** An option restricted to `choices` (commander lists them in --help and in the error). */
export function choiceOption(
  flags: string,
  description: string,
  choices: readonly string[],
  defaultValue?: string,
): Option {
  const option = new Option(flags, description).choices(choices);
  return defaultValue === undefined ? option : option.default(defaultValue);
}

/** Adds --backend, --threads, --seed, --quick, --json, --quiet and --log-json to a sub-command. */
export function addCommonOptions(command: Command, settings: { quick?: boolean } = {}): Command {
  command
    .addOption(choiceOption('--backend <name>', 'compute backend', ['auto', ...BACKEND_NAMES], 'auto'))
    .option('--threads <n>', 'threads of the wasm backend', integerArgument(1, 64))
    .option('--seed <n>', 'seed of weights, shuffles and splits', integerArgument(0, 2 ** 31 - 1), 0)
    .option('--json', 'print the result as JSON on stdout', false)
    .option('--quiet', 'no progress or log lines on stderr', false)
    .option('--log-json', 'log lines on stderr as JSON lines', false);
  if (settings.quick !== false)
    command.option('--quick', 'a tiny configuration for smoke tests (seconds to minutes)', false);
  return command;
}

/**
 * Runs a commander program and maps the outcome to an exit code: commander's own errors (unknown
 * option, missing or invalid argument) and UsageError → 2 with the message on stderr; --help and
 * --version → 0; any other error → 1 with its message (and the stack with RNNKIT_DEBUG=1).
 */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  stderr: (text: string) => void = (t) => process.stderr.write(t),
): Promise<number> {
  const configure = (command: Command): void => {
    command.exitOverride();
    command.configureOutput({ writeErr: stderr, outputError: (text, write) => write(text) });
    command.showHelpAfterError('(add --help for usage)');
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT_OK;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT_FAILURE;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const e = error as Error;
    stderr(`error: ${e?.message ?? String(error)}\n`);
    if (process.env.RNNKIT_DEBUG) stderr(`${e?.stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}
