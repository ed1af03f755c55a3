// Command-line options of tools/bench/rnn.ts (kept apart so they can be checked without running anything).
import { parseBenchArgs, type BenchCli, type OptionSpec } from './cli-args.js';

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

const rnnBenchCli = {
  name: 'bench:rnn',
  summary:
    'Times rnnkit LSTM/GRU/RNN layers (train and inference) against tfjs-layers and, optionally, PyTorch.',
  options: {
    backend: {
      kind: 'choice',
      choices: ['cpu', 'wasm', 'webgpu', 'tensorflow'],
      default: 'cpu',
      description: 'backend to run on',
    },
    cell: { kind: 'choice', choices: ['lstm', 'gru', 'rnn'], default: 'lstm', description: 'recurrent cell' },
    batch: { kind: 'int', default: 32, min: 1, description: 'batch size' },
    time: { kind: 'int', default: 100, min: 1, description: 'time steps' },
    input: { kind: 'int', default: 32, min: 1, description: 'input features' },
    hidden: { kind: 'int', default: 128, min: 1, description: 'hidden units' },
    layers: { kind: 'int', default: 1, min: 1, description: 'stacked layers' },
    warmup: { kind: 'int', default: 2, min: 0, description: 'untimed runs first' },
    runs: { kind: 'int', default: 5, min: 1, description: 'timed runs' },
    only: {
      kind: 'choice',
      choices: ['train', 'infer'],
      description: 'time only training or only inference',
    },
    'no-baseline': { kind: 'flag', description: 'skip the tfjs-layers baseline' },
    'no-rnnkit': { kind: 'flag', description: 'skip rnnkit' },
    floor: { kind: 'flag', description: 'also time the matmuls alone through tf.matMul (rnn-floor.ts)' },
    pytorch: {
      kind: 'string',
      optionalValue: true,
      placeholder: 'python',
      description: 'also run rnn_pytorch.py, with this Python (bare --pytorch: /usr/bin/python3 or python3)',
    },
    'pytorch-threads': {
      kind: 'int',
      default: 1,
      min: 0,
      description: "torch.set_num_threads of the PyTorch CPU run (0: torch's default)",
    },
    threads: {
      kind: 'int',
      default: 0,
      min: 0,
      description: "wasm: rnnkit's threads (0: the library's default)",
    },
    json: { kind: 'flag', description: 'print JSON lines' },
  },
} as const satisfies BenchCli<Record<string, OptionSpec>>;

/** Parses bench:rnn's command line; exits 2 with a message naming the option on a bad one, 0 after --help. */
export function parseRnnBenchArgs(argv: string[]): RnnBenchConfig {
  const a = parseBenchArgs(rnnBenchCli, argv);
  return {
    backend: a.backend,
    cell: a.cell,
    batch: a.batch,
    time: a.time,
    input: a.input,
    hidden: a.hidden,
    layers: a.layers,
    warmup: a.warmup,
    runs: a.runs,
    json: a.json,
    mode: a.only ?? 'both',
    skipBaseline: a['no-baseline'],
    skipRnnkit: a['no-rnnkit'],
    floor: a.floor,
    pytorch: a.pytorch ?? null,
    pytorchThreads: a['pytorch-threads'],
    threads: a.threads,
  };
}
