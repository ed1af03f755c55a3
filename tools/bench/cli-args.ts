// The one command-line parser of the benchmarks in tools/bench, built on node:util's parseArgs (strict:
// unknown options, missing values and stray positionals are errors). Each script declares its options
// with a kind, a default and a line of help; a bad value is reported with the option's name and the
// script exits with code 2; `--help` prints the usage and exits 0.
import { parseArgs } from 'node:util';

interface Described {
  /** One line for --help. */
  description: string;
}
/** An integer >= min (default 0). */
export interface IntOption extends Described {
  kind: 'int';
  default: number;
  min?: number;
}
/** An optional integer >= min (default 0): undefined when not given. */
export interface OptionalIntOption extends Described {
  kind: 'optional-int';
  min?: number;
}
/** A finite number >= min (when given), < below (when given). */
export interface NumberOption extends Described {
  kind: 'number';
  default: number;
  min?: number;
  below?: number;
}
/** One of `choices`; with no default, undefined when not given. */
export interface ChoiceOption<C extends string = string> extends Described {
  kind: 'choice';
  choices: readonly C[];
  default?: C;
}
/** A comma-separated list of `choices` (empty entries dropped). */
export interface ListOption<C extends string = string> extends Described {
  kind: 'list';
  choices: readonly C[];
  default: readonly C[];
}
/** A comma-separated list of integers >= min (default 0). */
export interface IntListOption extends Described {
  kind: 'int-list';
  default: readonly number[];
  min?: number;
}
/** Any string; with no default, undefined when not given. `optionalValue`: a bare `--name` means ''. */
export interface StringOption extends Described {
  kind: 'string';
  default?: string;
  optionalValue?: boolean;
  /** Shown in the usage instead of <value>. */
  placeholder?: string;
}
/** A switch: true when given. */
export interface FlagOption extends Described {
  kind: 'flag';
}

export type OptionSpec =
  | IntOption
  | OptionalIntOption
  | NumberOption
  | ChoiceOption
  | ListOption
  | IntListOption
  | StringOption
  | FlagOption;

/** One optional positional integer (webgpu-check.ts's matrix size). */
export interface PositionalInt extends Described {
  name: string;
  default: number;
  min?: number;
}

export type OptionValue<S extends OptionSpec> = S extends IntOption | NumberOption
  ? number
  : S extends OptionalIntOption
    ? number | undefined
    : S extends IntListOption
      ? number[]
      : S extends FlagOption
        ? boolean
        : S extends ChoiceOption<infer C>
          ? S extends { default: string }
            ? C
            : C | undefined
          : S extends ListOption<infer C>
            ? C[]
            : S extends { default: string }
              ? string
              : string | undefined;

export type ParsedArgs<O extends Record<string, OptionSpec>> = { [K in keyof O]: OptionValue<O[K]> };

export interface BenchCli<O extends Record<string, OptionSpec>> {
  /** The script's name, prefixed to every message (e.g. `bench:rnn`). */
  name: string;
  /** What the script does, for --help. */
  summary: string;
  options: O;
  positional?: PositionalInt;
}

/** A bad command line: the message names the option. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function placeholder(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'int':
    case 'optional-int':
      return ' <int>';
    case 'number':
      return ' <number>';
    case 'choice':
      return ` <${spec.choices.join('|')}>`;
    case 'list':
      return ` <${spec.choices.join(',')}>`;
    case 'int-list':
      return ' <int,...>';
    case 'string':
      return spec.optionalValue ? `[=${spec.placeholder ?? 'value'}]` : ` <${spec.placeholder ?? 'value'}>`;
    case 'flag':
      return '';
  }
}

function defaultText(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'int':
    case 'number':
      return ` (default ${spec.default})`;
    case 'list':
    case 'int-list':
      return ` (default ${spec.default.join(',') || 'none'})`;
    case 'choice':
    case 'string':
      return spec.default === undefined || spec.default === '' ? '' : ` (default ${spec.default})`;
    case 'optional-int':
    case 'flag':
      return '';
  }
}

/** The text --help prints. */
export function usage<O extends Record<string, OptionSpec>>(cli: BenchCli<O>): string {
  const rows: Array<[string, string]> = [['--help', 'print this help and exit']];
  if (cli.positional)
    rows.unshift([
      `[${cli.positional.name}]`,
      `${cli.positional.description} (default ${cli.positional.default})`,
    ]);
  for (const [name, spec] of Object.entries(cli.options))
    rows.push([`--${name}${placeholder(spec)}`, `${spec.description}${defaultText(spec)}`]);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  return `usage: ${cli.name} [options]\n${cli.summary}\n\n${lines.join('\n')}`;
}

function parseInt(option: string, raw: string, min: number): number {
  const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${option} must be an integer >= ${min}, got '${raw}'`);
  return n;
}

function parseValue(name: string, spec: OptionSpec, raw: string | boolean | undefined): unknown {
  const option = `--${name}`;
  if (spec.kind === 'flag') return raw === true;
  if (typeof raw === 'boolean') throw new UsageError(`${option} takes a value`);
  switch (spec.kind) {
    case 'int':
      return raw === undefined ? spec.default : parseInt(option, raw, spec.min ?? 0);
    case 'optional-int':
      return raw === undefined ? undefined : parseInt(option, raw, spec.min ?? 0);
    case 'number': {
      if (raw === undefined) return spec.default;
      const n = raw.trim() === '' ? NaN : Number(raw);
      const min = spec.min ?? -Infinity;
      const below = spec.below ?? Infinity;
      if (!Number.isFinite(n) || n < min || n >= below) {
        const range = [
          spec.min === undefined ? '' : `>= ${spec.min}`,
          spec.below === undefined ? '' : `< ${spec.below}`,
        ].filter(Boolean);
        throw new UsageError(
          `${option} must be a number${range.length ? ` ${range.join(' and ')}` : ''}, got '${raw}'`,
        );
      }
      return n;
    }
    case 'choice':
      if (raw === undefined) return spec.default;
      if (!spec.choices.includes(raw))
        throw new UsageError(`${option} must be one of ${spec.choices.join(', ')}, got '${raw}'`);
      return raw;
    case 'list': {
      if (raw === undefined) return [...spec.default];
      const items = raw.split(',').filter(Boolean);
      for (const item of items)
        if (!spec.choices.includes(item))
          throw new UsageError(`${option}: unknown entry '${item}' (allowed: ${spec.choices.join(', ')})`);
      return items;
    }
    case 'int-list':
      if (raw === undefined) return [...spec.default];
      return raw
        .split(',')
        .filter(Boolean)
        .map((item) => parseInt(`${option} entry`, item, spec.min ?? 0));
    case 'string':
      return raw ?? spec.default;
  }
}

/** Parses `argv` (no node or script path); throws UsageError on a bad command line. `help`: --help was given. */
export function tryParseBenchArgs<O extends Record<string, OptionSpec>>(
  cli: BenchCli<O>,
  argv: readonly string[],
): { help: boolean; values: ParsedArgs<O>; positional: number | undefined } {
  // A bare `--name` of an option whose value is optional means `--name=`.
  const tokens = argv.map((token) => {
    const spec = cli.options[token.slice(2)];
    return token.startsWith('--') && spec?.kind === 'string' && spec.optionalValue ? `${token}=` : token;
  });
  const config: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(cli.options))
    config[name] = { type: spec.kind === 'flag' ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: tokens,
      options: config,
      strict: true,
      allowPositionals: cli.positional !== undefined,
    });
  } catch (error) {
    // parseArgs' messages name the option; its hint about '--' does not apply here.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('\n')[0] ?? message);
  }
  const raw: Record<string, string | boolean | undefined> = {};
  for (const [name, value] of Object.entries(parsed.values))
    raw[name] = Array.isArray(value) ? value.at(-1) : value;
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(cli.options)) values[name] = parseValue(name, spec, raw[name]);
  let positional: number | undefined;
  if (cli.positional) {
    const [first, ...rest] = parsed.positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest.join(' ')}'`);
    positional =
      first === undefined
        ? cli.positional.default
        : parseInt(cli.positional.name, first, cli.positional.min ?? 0);
  }
  // The loop above set every key of cli.options, each to the type its spec's kind names.
  return { help: raw.help === true, values: values as ParsedArgs<O>, positional };
}

/**
 * Parses process.argv (or `argv`): on --help prints the usage and exits 0; on a bad command line prints
 * `<name>: <message>`, the usage, and exits 2.
 */
export function parseBenchArgs<const O extends Record<string, OptionSpec>>(
  cli: BenchCli<O>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedArgs<O> & { positional: number | undefined } {
  try {
    const { help, values, positional } = tryParseBenchArgs(cli, argv);
    if (help) {
      console.log(usage(cli));
      process.exit(0);
    }
    return { ...values, positional };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${cli.name}: ${error.message}\n${usage(cli)}`);
    process.exit(2);
  }
}

/** The options of the single-op recurrence benchmarks (webgpu-recurrence, wasm-recurrence, wasm-fused-steps, wasm-threads-model). */
export const recurrenceOptions = {
  cell: { kind: 'choice', choices: ['lstm', 'gru', 'rnn'], default: 'lstm', description: 'recurrent cell' },
  batch: { kind: 'int', default: 32, min: 1, description: 'batch size B' },
  time: { kind: 'int', default: 100, min: 1, description: 'time steps T' },
  input: { kind: 'int', default: 32, min: 1, description: 'input features I' },
  hidden: { kind: 'int', default: 128, min: 1, description: 'hidden units H' },
  warmup: { kind: 'int', default: 2, min: 0, description: 'untimed runs first' },
  runs: { kind: 'int', default: 5, min: 1, description: 'timed runs' },
} as const satisfies Record<string, OptionSpec>;

/** For the recurrence benchmarks that also time the tfjs-core reference composition. */
export const referenceOption = {
  reference: {
    kind: 'choice',
    choices: ['yes', 'no'],
    default: 'yes',
    description: 'no: skip the tfjs-core reference',
  },
} as const satisfies Record<string, OptionSpec>;

/** The sizes of a recurrence benchmark, derived from recurrenceOptions' values. */
export function recurrenceShape(values: ParsedArgs<typeof recurrenceOptions>) {
  const { cell, batch: B, time: T, input: I, hidden: H, warmup, runs } = values;
  return {
    cell,
    /** The op's cell kind (rnn runs as tanh). */
    kind: cell === 'rnn' ? ('rnn_tanh' as const) : cell,
    B,
    T,
    I,
    H,
    /** Rows of the gate weights: gates * H. */
    G: (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H,
    warmup,
    runs,
  };
}

/** A recurrence benchmark's sizes and run counts as its JSON line names them. */
export function recurrenceRecord({ cell, B, T, I, H, runs, warmup }: ReturnType<typeof recurrenceShape>) {
  return { cell, batch: B, time: T, input: I, hidden: H, runs, warmup };
}
