/**
 * One JSON line per event (pino). Tokens never reach a log: the redaction list names where they
 * could sit. Errors, under any field, are logged as logged-error.ts shapes them: never the SQL
 * text or the parameters of a failed statement.
 */
import { pino } from 'pino';
import { errorMessage, loggedError } from './logged-error.ts';

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
      // Instead of pino's own, which copies every field of the error (drizzle's `query`, `params`).
      serializers: { err: loggedError },
      formatters: {
        log: (fields) => Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, loggedError(value)])),
      },
      hooks: {
        // Without a message pino takes the error's: for a failed query, the SQL and its parameters.
        logMethod(args, method) {
          const [first] = args as unknown[];
          const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
          if (args.length === 1 && err instanceof Error)
            return method.apply(this, [first instanceof Error ? { err } : (first as object), errorMessage(err)]);
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
