/**
 * Concurrent batches from one organisation whose external references overlap, sent in
 * opposite orders: on PostgreSQL they would take the unique index's row locks in opposite
 * orders and deadlock. Every answer must be 2xx, each reference stored once, and each answer
 * must list the items in the order the client sent them. On PGlite (one connection) it just runs.
 * A transaction that does deadlock anyway is run again.
 */
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, queryRows } from '../src/db/database.ts';
import { reports } from '../src/db/schema.ts';
import { type Actors, confirming, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName, onPostgres } from './support/database.ts';

let ctx: TestContext;
let a: Actors;
beforeAll(async () => {
  ctx = await createTestContext({ WOL_MAX_BODY_BYTES: String(4 * 1024 * 1024) });
  a = await createActors(ctx);
});
afterAll(() => ctx.close());

const SIZE = 500;

describe(`concurrent batches on ${databaseName}`, () => {
  it('stores overlapping references sent in opposite orders once, answering every batch', async () => {
    for (let round = 0; round < 5; round++) {
      const refs = Array.from({ length: SIZE }, (_, i) => `r${round}-${String(i).padStart(4, '0')}`);
      const item = (ref: string) => ({
        externalRef: ref,
        url: `http://zz-race-${ref}.com/x`,
        assessment: confirming(ctx),
      });
      const forward = refs.map(item);
      // Overlapping, reversed, plus references of its own.
      const backward = [...refs.slice(SIZE / 5)].reverse().map(item);
      backward.push(...Array.from({ length: SIZE / 5 }, (_, i) => item(`r${round}-only-${i}`)));

      const answers = await Promise.all(
        [forward, backward].map((batch) =>
          ctx.call('POST', '/v1/reports', { token: a.reporterA, body: { reports: batch } }),
        ),
      );
      const bodies = await Promise.all(answers.map((r) => r.json()));
      const failed = bodies.filter((_, b) => answers[b]!.status !== 200);
      expect(
        answers.map((r) => r.status),
        `round ${round}: ${JSON.stringify(failed)}`,
      ).toEqual([200, 200]);

      [forward, backward].forEach((batch, b) => {
        const results = bodies[b].results as { index: number; status: string; url: string }[];
        expect(results.map((r) => r.index)).toEqual(batch.map((_, i) => i));
        expect(results.map((r) => r.url)).toEqual(batch.map((i) => i.url));
        expect(results.every((r) => r.status === 'created' || r.status === 'existing')).toBe(true);
      });
      const created = bodies.reduce((n, body) => n + body.summary.created, 0);
      expect(created).toBe(SIZE + SIZE / 5);
      const ids = new Map<string, number>();
      for (const [b, batch] of [forward, backward].entries())
        batch.forEach((sent, i) => {
          const id = bodies[b].results[i].id as number;
          expect(ids.get(sent.externalRef) ?? id).toBe(id);
          ids.set(sent.externalRef, id);
        });
    }
    const [stored] = await ctx.deps.db
      .select({ n: count() })
      .from(reports)
      .where(eq(reports.organisationId, a.orgs.hotlineA));
    expect(stored!.n).toBe(5 * (SIZE + SIZE / 5));
  });

  // PGlite has one connection: the second transaction would wait for the first forever.
  it.skipIf(!onPostgres)('runs a transaction again that a deadlock rolled back', async () => {
    const db = ctx.deps.db;
    await db.execute(sql`create table zz_locks (id int primary key, n int not null)`);
    await db.execute(sql`insert into zz_locks values (1, 0), (2, 0)`);
    let attempts = 0;
    let arrived = 0;
    let release!: () => void;
    const bothHoldOne = new Promise<void>((resolve) => {
      release = resolve;
    });
    const bump = (first: number, second: number) =>
      inTransaction(db, async (tx) => {
        attempts++;
        await tx.execute(sql`update zz_locks set n = n + 1 where id = ${first}`);
        if (++arrived === 2) release();
        await bothHoldOne;
        await tx.execute(sql`update zz_locks set n = n + 1 where id = ${second}`);
      });
    await Promise.all([bump(1, 2), bump(2, 1)]);
    expect(attempts).toBe(3);
    const rows = await queryRows<{ n: number }>(db, sql`select n from zz_locks order by id`);
    expect(rows.map((r) => Number(r.n))).toEqual([2, 2]);
  });
});
