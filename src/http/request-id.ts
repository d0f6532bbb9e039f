/**
 * Request ids: the caller's X-Request-Id when it is a sane token, else a new UUID. The id is
 * in every log line and every problem document (`instance`, and the X-Request-Id header);
 * successful answers do not carry the header, because adding a header to every response
 * costs Node's fast response path about half its throughput on the pull path ISPs poll.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestIds: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header('x-request-id');
  c.set('requestId', given && SANE.test(given) ? given : crypto.randomUUID());
  await next();
};
