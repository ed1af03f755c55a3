import { IS_NODE } from '@rnnkit/tensor-core/internal';
import type * as CliProgressModule from 'cli-progress';

/** Per-epoch losses and metrics, e.g. `{loss: 0.31, acc: 0.88, val_loss: 0.35, val_acc: 0.86}`. */
export interface EpochLogs {
  [name: string]: number;
}

/** What `fit` tells its progress display; it decides when it wants the running means (they cost a read). */
export interface FitProgress {
  epochBegin(epoch: number, epochs: number, batches: number): void;
  /** Whether a redraw is due: `fit` then reads the running means and calls `batchEnd` with them. */
  wantsLogs(): boolean;
  batchEnd(batchesDone: number, logs: EpochLogs | null): void;
  epochEnd(epoch: number, logs: EpochLogs, seconds: number): void;
  close(): void;
}

type LineWriter = (line: string) => void;

/** Where fit's lines go by default: stderr in Node (stdout stays the program's), the console elsewhere. */
export function defaultLogWriter(): LineWriter {
  return IS_NODE ? (line) => process.stderr.write(`${line}\n`) : (line) => console.log(line);
}

function formatLogs(logs: EpochLogs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${Number.isFinite(v) ? v.toFixed(4) : String(v)}`)
    .join('');
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600)
    return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60)
    return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

/** The line Keras prints when an epoch ends: `196/196 - 12s - 61ms/step - loss: 0.6931 - val_loss: …`. */
function epochLine(batches: number, logs: EpochLogs, seconds: number): string {
  const perStep = batches > 0 ? `${Math.round((seconds * 1000) / batches)}ms/step` : '';
  return `${batches}/${batches} - ${formatSeconds(seconds)} - ${perStep}${formatLogs(logs)}`;
}

/** verbose 2: one line per epoch. */
class EpochLines implements FitProgress {
  private batches = 0;
  private epochs = 0;
  constructor(private readonly write: LineWriter) {}
  epochBegin(_epoch: number, epochs: number, batches: number): void {
    this.batches = batches;
    this.epochs = epochs;
  }
  wantsLogs(): boolean {
    return false;
  }
  batchEnd(): void {}
  epochEnd(epoch: number, logs: EpochLogs, seconds: number): void {
    this.write(
      `Epoch ${epoch + 1}/${this.epochs} - ${epochLine(this.batches, logs, seconds).replace(/^\d+\/\d+ - /, '')}`,
    );
  }
  close(): void {}
}

/**
 * verbose 1 without a terminal (a log file, CI, a browser console): Keras's layout as plain lines, a
 * progress line at most every `intervalMs`, then the epoch's line.
 */
class PlainProgressLines implements FitProgress {
  private batches = 0;
  private started = 0;
  private lastLine = 0;
  constructor(
    private readonly write: LineWriter,
    private readonly intervalMs: number,
  ) {}
  epochBegin(epoch: number, epochs: number, batches: number): void {
    this.batches = batches;
    this.started = this.lastLine = Date.now();
    this.write(`Epoch ${epoch + 1}/${epochs}`);
  }
  wantsLogs(): boolean {
    return Date.now() - this.lastLine >= this.intervalMs;
  }
  batchEnd(done: number, logs: EpochLogs | null): void {
    if (!logs || done >= this.batches) return;
    this.lastLine = Date.now();
    const eta = ((this.lastLine - this.started) / 1000 / done) * (this.batches - done);
    this.write(`${done}/${this.batches} - ETA: ${formatSeconds(eta)}${formatLogs(logs)}`);
  }
  epochEnd(_epoch: number, logs: EpochLogs, seconds: number): void {
    this.write(epochLine(this.batches, logs, seconds));
  }
  close(): void {}
}

interface BarLike {
  start(total: number, start: number, payload: object): void;
  update(value: number, payload?: object): void;
  stop(): void;
}
type CliProgress = typeof CliProgressModule;

/** verbose 1 on a terminal: a `cli-progress` bar per epoch on stderr, redrawn with the running means. */
export class TerminalProgressBar implements FitProgress {
  private bar: BarLike | null = null;
  private batches = 0;
  private lastRead = 0;
  private metrics = '';
  constructor(
    private readonly progress: CliProgress,
    private readonly stream: NodeJS.WritableStream,
  ) {}
  epochBegin(epoch: number, epochs: number, batches: number): void {
    this.batches = batches;
    this.metrics = '';
    this.stream.write(`Epoch ${epoch + 1}/${epochs}\n`);
    this.bar = new this.progress.SingleBar({
      format: '{value}/{total} [{bar}] - ETA: {eta_formatted}{metrics}',
      barCompleteChar: '=',
      barIncompleteChar: '.',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      stream: this.stream,
      etaBuffer: 50,
      fps: 10,
    });
    this.bar.start(batches, 0, { metrics: '' });
    this.lastRead = Date.now();
  }
  wantsLogs(): boolean {
    return Date.now() - this.lastRead >= 250;
  }
  batchEnd(done: number, logs: EpochLogs | null): void {
    if (logs) {
      this.lastRead = Date.now();
      this.metrics = formatLogs(logs);
    }
    this.bar?.update(done, { metrics: this.metrics });
  }
  epochEnd(_epoch: number, logs: EpochLogs, seconds: number): void {
    this.bar?.stop();
    this.bar = null;
    this.stream.write(`${epochLine(this.batches, logs, seconds)}\n`);
  }
  close(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export interface FitProgressSettings {
  verbose: 0 | 1 | 2;
  /** The caller's line writer; given, it receives every line and no terminal bar is drawn. */
  log?: LineWriter;
  /** Seconds between progress lines when not on a terminal (default 10). */
  lineIntervalMs?: number;
}

/** The display `fit` uses for `verbose`: nothing, a terminal bar, or plain lines. */
export async function createFitProgress(settings: FitProgressSettings): Promise<FitProgress | null> {
  if (settings.verbose === 0) return null;
  const write = settings.log ?? defaultLogWriter();
  if (settings.verbose === 2) return new EpochLines(write);
  if (!settings.log && IS_NODE && process.stderr.isTTY) {
    // A variable specifier keeps browser bundlers from pulling in this Node-only library.
    const specifier = 'cli-progress';
    const progress = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).catch(
      () => null,
    )) as CliProgress | null;
    const module = (progress as { default?: CliProgress } | null)?.default ?? progress;
    if (module?.SingleBar) return new TerminalProgressBar(module, process.stderr);
  }
  return new PlainProgressLines(write, settings.lineIntervalMs ?? 10_000);
}
