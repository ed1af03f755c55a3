// Command-line options of tools/bench/rnn.ts (kept apart so they can be checked without running anything).
export type RnnBenchCell = 'lstm' | 'gru' | 'rnn';
export type RnnBenchBackend = 'cpu' | 'wasm' | 'webgpu' | 'tensorflow';

export interface RnnBenchConfig {
  backend: RnnBenchBackend;
  cell: RnnBenchCell;
  batch: number;
  time: number;
  input: number;
  hidden: number;
  layers: number;
  warmup: number;
  runs: number;
  json: boolean;
  mode: 'both' | 'train' | 'infer';
  skipBaseline: boolean;
  skipRnnkit: boolean;
  /** Also time the matmuls alone through tf.matMul (rnn-floor.ts): the floor of inference built on the backend's matmul. */
  floor: boolean;
  /** Also run tools/bench/rnn_pytorch.py with this Python (null: don't). */
  pytorch: string | null;
  /** torch.set_num_threads for the PyTorch CPU run (0: torch's default). */
  pytorchThreads: number;
  /** wasm: threads of rnnkit's fused recurrences and projections (setWasmThreads; 0: the library's default). */
  threads: number;
}

const USAGE =
  'usage: bench:rnn -- --backend <cpu|wasm|webgpu> --cell <lstm|gru|rnn> [--batch 32] [--time 100] [--input 32] [--hidden 128] [--layers 1] [--warmup 2] [--runs 5] [--only train|infer] [--no-baseline] [--no-rnnkit] [--floor] [--pytorch[=python]] [--pytorch-threads 1] [--threads N] [--json]';

export function parseRnnBenchArgs(argv: string[]): RnnBenchConfig {
  const cfg: RnnBenchConfig = {
    backend: 'cpu',
    cell: 'lstm',
    batch: 32,
    time: 100,
    input: 32,
    hidden: 128,
    layers: 1,
    warmup: 2,
    runs: 5,
    json: false,
    mode: 'both',
    skipBaseline: false,
    skipRnnkit: false,
    floor: false,
    pytorch: null,
    pytorchThreads: 1,
    threads: 0,
  };
  const ints = new Set([
    'batch',
    'time',
    'input',
    'hidden',
    'layers',
    'warmup',
    'runs',
    'pytorch-threads',
    'threads',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg.replace(/^--/, ''), undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`bench:rnn: --${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === 'json') cfg.json = true;
    else if (flag === 'no-baseline') cfg.skipBaseline = true;
    else if (flag === 'no-rnnkit') cfg.skipRnnkit = true;
    else if (flag === 'floor') cfg.floor = true;
    else if (flag === 'pytorch') cfg.pytorch = inline ?? '';
    else if (flag === 'backend') {
      const v = value();
      if (!['cpu', 'wasm', 'webgpu', 'tensorflow'].includes(v))
        throw new Error(`bench:rnn: --backend must be cpu, wasm, webgpu or tensorflow, got '${v}'`);
      cfg.backend = v as RnnBenchBackend;
    } else if (flag === 'cell') {
      const v = value();
      if (!['lstm', 'gru', 'rnn'].includes(v))
        throw new Error(`bench:rnn: --cell must be lstm, gru or rnn, got '${v}'`);
      cfg.cell = v as RnnBenchCell;
    } else if (flag === 'only') {
      const v = value();
      if (v !== 'train' && v !== 'infer')
        throw new Error(`bench:rnn: --only must be train or infer, got '${v}'`);
      cfg.mode = v;
    } else if (ints.has(flag)) {
      const raw = value();
      const n = Number(raw);
      const min = flag === 'warmup' || flag === 'pytorch-threads' || flag === 'threads' ? 0 : 1;
      if (!Number.isInteger(n) || n < min)
        throw new Error(`bench:rnn: --${flag} must be an integer >= ${min}, got '${raw}'`);
      if (flag === 'pytorch-threads') cfg.pytorchThreads = n;
      else if (flag === 'threads') cfg.threads = n;
      else (cfg as unknown as Record<string, number>)[flag] = n;
    } else {
      throw new Error(`bench:rnn: unknown option '${arg}'\n${USAGE}`);
    }
  }
  return cfg;
}
