// Arguments shared by the single-op recurrence benchmarks (webgpu-recurrence.ts, wasm-recurrence.ts):
//   --cell lstm|gru|rnn --batch 32 --time 100 --input 32 --hidden 128 --warmup 2 --runs 5 [--key value ...]
export interface RecurrenceBenchArgs {
  /** Every --key value pair as given, for bench-specific options. */
  args: Map<string, string>;
  cell: 'lstm' | 'gru' | 'rnn';
  /** The op's cell kind (rnn runs as tanh). */
  kind: 'lstm' | 'gru' | 'rnn_tanh';
  B: number;
  T: number;
  I: number;
  H: number;
  /** Rows of the gate weights: gates * H. */
  G: number;
  warmup: number;
  runs: number;
}

export function parseRecurrenceBenchArgs(argv: string[]): RecurrenceBenchArgs {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
  const num = (k: string, d: number) => Number(args.get(k) ?? d);
  const cell = (args.get('cell') ?? 'lstm') as RecurrenceBenchArgs['cell'];
  const H = num('hidden', 128);
  return {
    args,
    cell,
    kind: cell === 'rnn' ? 'rnn_tanh' : cell,
    B: num('batch', 32),
    T: num('time', 100),
    I: num('input', 32),
    H,
    G: (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H,
    warmup: num('warmup', 2),
    runs: num('runs', 5),
  };
}
