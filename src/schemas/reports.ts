/** Request and answer shapes of intake: reports, their assessments and content hashes, batches and item errors. */
import { z } from '@hono/zod-openapi';
import { apparentAges, contentKinds, type HashAlgorithm, hashAlgorithms, verdicts } from '../core/vocabulary.ts';
import { isoOut, nullableIsoOut, text, timestamp } from './common.ts';
import { knownContent, knownSummary } from './known.ts';

export const MAX_BATCH = 10_000;
/** Hashes one item may be named by: its file's digests and a perceptual hash or two. */
export const MAX_CONTENT_HASHES = 16;

/** Hex digits per algorithm: the digests' sizes, and PDQ's 256 bits. */
const HASH_HEX_LENGTH: Record<HashAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64, pdq: 64 };

export const contentHash = z
  .strictObject({
    algorithm: z.enum(hashAlgorithms),
    value: z.string().max(128).openapi({ description: 'hex, either case; stored lowercase' }),
  })
  .superRefine((hash, ctx) => {
    const length = HASH_HEX_LENGTH[hash.algorithm];
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hash.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a ${hash.algorithm} hash is ${length} hex digits` });
  })
  .transform((hash) => ({ algorithm: hash.algorithm, value: hash.value.toLowerCase() }))
  .openapi('ContentHash');
export type ContentHash = z.output<typeof contentHash>;

const contentHashes = z
  .array(contentHash)
  .max(MAX_CONTENT_HASHES)
  .optional()
  .openapi({ description: 'hashes of the classified item: matched against items other organisations classified' });

export const assessmentInput = z
  .strictObject({
    verdict: z.enum(verdicts),
    realChild: z.boolean(),
    apparentAge: z.enum(apparentAges),
    severity: z.number().int().min(1).max(10),
    observedOnlineAt: timestamp,
    contentType: z.enum(contentKinds).optional(),
    analystRef: text().trim().min(1).max(200).optional(),
    note: text().max(2000).optional(),
    contentHashes,
  })
  .openapi('AssessmentInput');
export type AssessmentInput = z.output<typeof assessmentInput>;

export const reportInput = z
  .strictObject({
    externalRef: text()
      .trim()
      .min(1)
      .max(200)
      .openapi({ description: 'your own reference; resubmitting it is idempotent' }),
    url: text().max(8192),
    reportedAt: timestamp.optional(),
    observedOnlineAt: timestamp.optional(),
    assessment: assessmentInput.optional(),
    contentHashes,
  })
  .openapi('ReportInput');
export type ReportInput = z.output<typeof reportInput>;

export const reportBatchInput = z
  .strictObject({ reports: z.array(z.unknown()).min(1).max(MAX_BATCH) })
  .openapi('ReportBatchInput', { description: `up to ${MAX_BATCH} reports; each is validated on its own` });

export const reportCreated = z
  .object({ id: z.number().int(), url: z.string(), host: z.string(), listKey: z.string(), known: knownSummary })
  .openapi('ReportCreated');

export const itemError = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
export type ItemError = z.infer<typeof itemError>;

export const batchItemResult = z
  .object({
    index: z.number().int(),
    status: z.enum(['created', 'existing', 'rejected']),
    id: z.number().int().optional(),
    url: z.string().optional(),
    host: z.string().optional(),
    listKey: z.string().optional(),
    known: knownSummary.optional(),
    error: itemError.optional(),
  })
  .openapi('BatchItemResult');
export type BatchItemResult = z.infer<typeof batchItemResult>;

export const batchSummary = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  rejected: z.number().int(),
});

export const batchResult = z
  .object({ summary: batchSummary, results: z.array(batchItemResult) })
  .openapi('BatchResult');

export const assessment = z
  .object({
    id: z.number().int(),
    reportId: z.number().int(),
    organisationId: z.number().int(),
    verdict: z.enum(verdicts),
    realChild: z.boolean(),
    apparentAge: z.enum(apparentAges),
    severity: z.number().int(),
    contentType: z.enum(contentKinds).nullable(),
    observedOnlineAt: isoOut,
    assessedAt: isoOut,
    analystRef: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('Assessment');

/** The answer to an assessment: what it recorded, and what other reports' classifications its hashes match. */
export const assessmentRecorded = assessment
  .extend({ knownContent: knownContent.nullable() })
  .openapi('AssessmentRecorded');

export const report = z
  .object({
    id: z.number().int(),
    organisationId: z.number().int(),
    externalRef: z.string(),
    url: z.string(),
    urlCanonical: z.string(),
    host: z.string(),
    listKey: z.string(),
    reportedAt: nullableIsoOut,
    observedOnlineAt: nullableIsoOut,
    receivedAt: isoOut,
  })
  .openapi('Report');

export const reportQuery = z.object({
  mine: z
    .enum(['', 'true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '' || v === 'true' || v === '1'))
    .openapi({ description: 'only your organisation’s reports (always so for reporters)' }),
  listKey: text().max(253).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
