/**
 * A Logger over `console`, for runtimes without pino (Workers, where each console call
 * becomes a log record). One JSON line per event, pino's shape (level, time, msg), the same
 * redaction: a token or an Authorization header never reaches a log, nor a failed statement's
 * SQL or parameters (errors are shaped by logged-error.ts, as logger.ts does).
 */
import type { Config } from './config.ts';
import { loggedError } from './logged-error.ts';
import type { LogFn, Logger } from './logger.ts';

/** The levels LOG_LEVEL names (config.ts), as pino numbers them. */
export type LogLevel = Config['LOG_LEVEL'];
const LEVELS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Number.POSITIVE_INFINITY };

const REDACTED = new Set(['token', 'authorization']);

/** Errors become plain objects (JSON.stringify would keep only their own fields); secrets are masked, one level deep too. */
function clean(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return loggedError(value);
  if (value === null || typeof value !== 'object' || depth > 1 || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    out[key] = REDACTED.has(key.toLowerCase()) ? '[redacted]' : clean(inner, depth + 1);
  return out;
}

export function createConsoleLogger(level: LogLevel, bindings: Record<string, unknown> = {}): Logger {
  const threshold = LEVELS[level];
  const at = (name: Exclude<LogLevel, 'silent'>, write: (line: string) => void): LogFn =>
    ((fields: object | string, message?: string) => {
      if (LEVELS[name] < threshold) return;
      const [extra, msg] = typeof fields === 'string' ? [{}, fields] : [clean(fields) as object, message];
      write(JSON.stringify({ level: LEVELS[name], time: Date.now(), ...bindings, ...extra, msg }));
    }) as LogFn;
  return {
    debug: at('debug', (line) => console.debug(line)),
    info: at('info', (line) => console.info(line)),
    warn: at('warn', (line) => console.warn(line)),
    error: at('error', (line) => console.error(line)),
    child: (more) => createConsoleLogger(level, { ...bindings, ...(clean(more) as object) }),
  };
}
