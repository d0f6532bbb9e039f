/**
 * Typed failures of the use cases, and the database's passing ones (down, read-only, slow,
 * contended: db/errors.ts tells them apart whichever driver raised them). The HTTP layer maps
 * each to a status and an RFC 9457 problem; the CLI prints the message. Nothing here knows
 * about HTTP.
 */
export { type DatabaseFailure, databaseFailure } from '../db/errors.ts';

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Extension members for the problem document (for example the field at fault). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The input is well-formed but cannot be accepted (422). */
export class InvalidInputError extends ServiceError {
  override name = 'InvalidInputError';
}
export class NotFoundError extends ServiceError {
  override name = 'NotFoundError';
}
export class ForbiddenError extends ServiceError {
  override name = 'ForbiddenError';
}
export class ConflictError extends ServiceError {
  override name = 'ConflictError';
}
/** The request was fine but a resource it needs is not there yet (for example no snapshot). */
export class UnavailableError extends ServiceError {
  override name = 'UnavailableError';
}
export class GoneError extends ServiceError {
  override name = 'GoneError';
}
export class RateLimitedError extends ServiceError {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'too many requests from this address; try again later');
  }
}
