/** Opaque page cursors: what a page gives out reads back as the same keys; anything else is refused. */
import { describe, expect, it } from 'vitest';
import { confirmationQueueQuery, encodeQueueCursor } from '../src/schemas/confirmation-queue.ts';
import { encodeCursor } from '../src/schemas/cursor.ts';
import { encodeReviewCursor, reviewQueueQuery } from '../src/schemas/review.ts';

describe('page cursors', () => {
  it('read back what they gave out', () => {
    const review = { requested: true, confirmedMicros: '-9223372036854775808', listKey: 'zz-example.com' };
    expect(reviewQueueQuery.parse({ cursor: encodeReviewCursor(review) }).cursor).toEqual(review);
    const queue = { needed: 1, latestMs: 1_700_000_000_000, reports: 3, listKey: 'zz-example.com' };
    expect(confirmationQueueQuery.parse({ cursor: encodeQueueCursor(queue) }).cursor).toEqual(queue);
  });

  it('refuse what they did not', () => {
    for (const cursor of [
      'x',
      Buffer.from('{"not":"an array"}').toString('base64url'),
      encodeCursor([2, '0', 'a']),
      encodeCursor(['1']),
    ]) {
      expect(reviewQueueQuery.safeParse({ cursor }).success).toBe(false);
      expect(confirmationQueueQuery.safeParse({ cursor }).success).toBe(false);
    }
    expect(reviewQueueQuery.safeParse({ cursor: encodeCursor([1, '99999999999999999999', 'a']) }).success).toBe(false);
  });
});
