/** One JSON line per event (pino). Tokens never reach a log: the redaction list names where they could sit. */
import { pino } from 'pino';

/** A log call: fields then a message, or a message alone. pino's loggers are one. */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/**
 * What the services log through. Structural, so a runtime without pino (Workers: see
 * console-logger.ts) supplies its own; importing this type loads nothing.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
