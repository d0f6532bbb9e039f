/**
 * Database failures in the log, through both loggers (pino on Node, the console one on
 * Workers): real statements fail on a real database (check constraints added here), with a
 * delisting requester's contact, thousands of reported domains or listed keys among their
 * parameters. Each line names the statement's kind and the cause (SQLSTATE, constraint) and
 * none carries the parameters, the SQL text or PostgreSQL's row detail, nor passes 8 KiB.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConsoleLogger } from '../src/console-logger.ts';
import { queryRows } from '../src/db/database.ts';
import type { Deps } from '../src/deps.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import { type Actors, confirming, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { report } from './support/evidence.ts';

const CONTACT = 'owner.q7f3kz@contact.example';
const BATCH = 3000;
const MAX_LINE = 8 * 1024;

let ctx: TestContext;
let a: Actors;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createActors(ctx);
  // Rows these statements will carry fail here, as any constraint violation would.
  await ctx.deps.db.execute(
    sql.raw(
      `alter table delisting_requests add constraint zz_refused_contact check (position('q7f3kz' in contact) = 0)`,
    ),
  );
  await ctx.deps.db.execute(
    sql.raw(`alter table reports add constraint zz_refused_domain check (domain <> 'zz-batch-${BATCH - 1}.example')`),
  );
  await ctx.deps.db.execute(
    sql.raw(`alter table listings add constraint zz_refused_key check (list_key <> 'zz-build-q7f3kz.example')`),
  );
});
afterAll(() => ctx.close());

/** The two loggers, each writing its lines where the test reads them. */
const loggers: [string, (lines: string[]) => Logger][] = [
  [
    'pino',
    (lines) =>
      createLogger(
        'debug',
        new Writable({
          write(chunk, _encoding, done) {
            lines.push(...String(chunk).split('\n').filter(Boolean));
            done();
          },
        }),
      ),
  ],
  [
    'console',
    (lines) => {
      for (const level of ['debug', 'info', 'warn', 'error'] as const)
        vi.spyOn(console, level).mockImplementation((line: string) => void lines.push(line));
      return createConsoleLogger('debug');
    },
  ],
];

describe.each(loggers)(`database errors in the %s log on ${databaseName}`, (name, logger) => {
  const lines: string[] = [];
  const call = async (deps: Deps, method: string, path: string, token: string | undefined, body: unknown) =>
    createApp(deps).request(path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  let deps: Deps;
  beforeAll(() => {
    deps = { ...ctx.deps, log: logger(lines) };
  });
  afterAll(() => vi.restoreAllMocks());

  /** The error lines since `from`, each checked: small, and nothing of `secrets` in it. */
  function failures(from: number, secrets: RegExp): Record<string, unknown>[] {
    const written = lines.slice(from);
    for (const line of written) {
      expect(line.length).toBeLessThan(MAX_LINE);
      expect(line).not.toMatch(secrets);
      // Neither drizzle's "Failed query: … params: …" nor PostgreSQL's row detail.
      expect(line).not.toMatch(/params:|Failing row|"detail"|"parameters"|"params"|"query"/);
    }
    return written.map((line) => JSON.parse(line)).filter((line) => line.level === 50);
  }

  it('a failed delisting insert: the constraint and SQLSTATE, not the contact', async () => {
    const from = lines.length;
    const res = await call(deps, 'POST', '/v1/delisting-requests', undefined, {
      domain: `zz-delist-${name}.example`,
      contact: CONTACT,
      statement: 'this domain is mine and it is not abusive',
    });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('q7f3kz');
    const [line, ...more] = failures(from, /q7f3kz/);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      msg: 'unhandled error',
      err: {
        message: 'failed query: insert "delisting_requests"',
        statement: 'insert "delisting_requests"',
        cause: { code: '23514' },
      },
    });
    expect(JSON.stringify(line)).toContain('zz_refused_contact');
  });

  it(`a failed batch of ${BATCH} reports: one short line, no domain of the batch`, async () => {
    const from = lines.length;
    const reports = Array.from({ length: BATCH }, (_, n) => ({
      externalRef: `zz-batch-${name}-${n}`,
      url: `http://zz-batch-${n}.example/phish`,
      assessment: confirming(ctx),
    }));
    const res = await call(deps, 'POST', '/v1/reports', a.reporterA, { reports });
    expect(res.status).toBe(500);
    const [line, ...more] = failures(from, /zz-batch-/);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ err: { statement: 'insert "reports"', cause: { code: '23514' } } });
  });

  it('a failed build: the listing insert is named, its keys are not, in the log or the build record', async () => {
    await report(ctx, a, 'http://zz-build-q7f3kz.example/a');
    const from = lines.length;
    const res = await call(deps, 'POST', '/v1/builds', a.analyst, {});
    expect(res.status).toBe(500);
    const errors = failures(from, /q7f3kz/);
    expect(errors.map((line) => line.msg)).toEqual(['build failed', 'unhandled error']);
    expect(errors[0]).toMatchObject({ err: { statement: 'insert "listings"', cause: { code: '23514' } } });
    const [run] = await queryRows<{ error: string }>(
      ctx.deps.db,
      sql`select error from build_runs where outcome = 'failed' order by id desc limit 1`,
    );
    expect(run?.error).toContain('zz_refused_key');
    expect(run?.error).not.toMatch(/q7f3kz|insert into/);
  });

  it('an error logged without a message, or as the only argument: the line takes no message of the driver', async () => {
    const error = await ctx.deps.db
      .execute(sql`insert into delisting_requests (list_key, host, contact, statement, dedupe_key)
                   values ('x.example', 'x.example', ${CONTACT}, 's', 'd')`)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(String((error as Error).message)).toContain('q7f3kz');
    const from = lines.length;
    deps.log.error({ err: error });
    deps.log.error(error as never);
    deps.log.warn({ cause: error, note: 'under another field' }, 'still shaped');
    expect(lines.length).toBe(from + 3);
    failures(from, /q7f3kz/);
  });
});
