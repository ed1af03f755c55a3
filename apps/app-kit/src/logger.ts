/** Log lines for stderr: plain text, JSON lines (`--log-json`) or nothing (`--quiet`). Results go to stdout, not here. */
export interface Logger {
  /** A human-readable line with optional structured fields (shown as JSON with --log-json). */
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Whether progress bars and per-epoch lines should be drawn (not quiet, not JSON). */
  readonly showsProgress: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
}

export function createLogger(options: {
  quiet?: boolean;
  logJson?: boolean;
  write?: (text: string) => void;
}): Logger {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const quiet = options.quiet ?? false;
  const json = options.logJson ?? false;
  const emit = (level: string, message: string, fields?: Record<string, unknown>): void => {
    if (quiet) return;
    if (json) write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
    else write(`${level === 'warn' ? 'warning: ' : ''}${message}\n`);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    showsProgress: !quiet && !json,
    json,
    quiet,
  };
}

/** One JSON object as one line (JSON lines), for stdout streams such as predictions. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
