/**
 * The data model (DESIGN section 3). Constraints carry the invariants: one report per
 * (organisation, external_ref), gap-free snapshot versions (each points at version - 1),
 * one assessment per (report, organisation), one active criteria set. The sets of values
 * columns hold come from the core (core/vocabulary.ts, formats.ts, tsig.ts).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { formats } from '../core/formats.ts';
import { tsigAlgorithms } from '../core/tsig.ts';
import {
  apparentAges,
  buildOutcomes,
  contentKinds,
  delistingStates,
  exclusionStates,
  granularities,
  hashAlgorithms,
  organisationKinds,
  roles,
  signingKeyStates,
  verdicts,
  withholdingCategories,
  withholdingStates,
  zoneTransferTypes,
} from '../core/vocabulary.ts';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const now = (name: string) => at(name).notNull().defaultNow();
const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export const organisations = pgTable(
  'organisations',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: organisationKinds }).notNull(),
    country: text('country').notNull(),
    createdAt: now('created_at'),
  },
  (t) => [
    check('organisations_kind', oneOf('kind', organisationKinds)),
    check('organisations_country', sql`${t.country} ~ '^[A-Z]{2}$'`),
    uniqueIndex('organisations_name').on(t.name),
  ],
);

export const credentials = pgTable(
  'credentials',
  {
    id: serial('id').primaryKey(),
    organisationId: integer('organisation_id').references(() => organisations.id),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(),
    label: text('label').notNull(),
    createdBy: integer('created_by'),
    createdAt: now('created_at'),
    expiresAt: at('expires_at'),
    revokedAt: at('revoked_at'),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [
    check('credentials_role', oneOf('role', roles)),
    uniqueIndex('credentials_token_hash').on(t.tokenHash),
    index('credentials_organisation').on(t.organisationId),
  ],
);

export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    externalRef: text('external_ref').notNull(),
    url: text('url').notNull(),
    urlCanonical: text('url_canonical').notNull(),
    host: text('host').notNull(),
    /** The registrable domain (or address): what a hostname policy is keyed on. */
    domain: text('domain').notNull(),
    listKey: text('list_key').notNull(),
    reportedAt: at('reported_at'),
    observedOnlineAt: at('observed_online_at'),
    receivedAt: now('received_at'),
  },
  (t) => [
    uniqueIndex('reports_organisation_external_ref').on(t.organisationId, t.externalRef),
    index('reports_list_key').on(t.listKey),
    index('reports_domain').on(t.domain),
    // What intake answers about the exact URL (known on intake) is one lookup per batch on this.
    index('reports_url_canonical').on(t.urlCanonical),
  ],
);

export const assessments = pgTable(
  'assessments',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    analystRef: text('analyst_ref'),
    assessedAt: now('assessed_at'),
    observedOnlineAt: at('observed_online_at').notNull(),
    verdict: text('verdict', { enum: verdicts }).notNull(),
    realChild: boolean('real_child').notNull(),
    apparentAge: text('apparent_age', { enum: apparentAges }).notNull(),
    severity: smallint('severity').notNull(),
    contentType: text('content_type', { enum: contentKinds }),
    note: text('note'),
  },
  (t) => [
    check('assessments_verdict', oneOf('verdict', verdicts)),
    check('assessments_apparent_age', oneOf('apparent_age', apparentAges)),
    check('assessments_content_type', oneOf('content_type', contentKinds)),
    check('assessments_severity', sql`${t.severity} between 1 and 10`),
    // One organisation's assessment of a report counts once: the latest replaces the earlier.
    uniqueIndex('assessments_report_organisation').on(t.reportId, t.organisationId),
    index('assessments_organisation').on(t.organisationId),
  ],
);

/**
 * The hashes an organisation names a report's item by: at submission (the reporter) or with
 * its assessment (the assessor). Where that organisation also assessed the report, its
 * assessment is the item's classification, which another report naming a hash is matched to.
 */
export const contentHashes = pgTable(
  'content_hashes',
  {
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    algorithm: text('algorithm', { enum: hashAlgorithms }).notNull(),
    /** Lowercase hex, its length fixed by the algorithm. */
    value: text('value').notNull(),
    createdAt: now('created_at'),
  },
  (t) => [
    primaryKey({ columns: [t.reportId, t.organisationId, t.algorithm, t.value] }),
    check('content_hashes_algorithm', oneOf('algorithm', hashAlgorithms)),
    index('content_hashes_value').on(t.algorithm, t.value),
  ],
);

export const observations = pgTable(
  'observations',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    observedAt: at('observed_at').notNull(),
    online: boolean('online').notNull(),
    note: text('note'),
    createdAt: now('created_at'),
  },
  (t) => [index('observations_report').on(t.reportId, t.observedAt)],
);

export const domainPolicies = pgTable(
  'domain_policies',
  {
    id: serial('id').primaryKey(),
    listKey: text('list_key').notNull(),
    granularity: text('granularity', { enum: granularities }).notNull(),
    reason: text('reason').notNull(),
    setBy: integer('set_by').references(() => credentials.id),
    setAt: now('set_at'),
  },
  (t) => [
    check('domain_policies_granularity', oneOf('granularity', granularities)),
    index('domain_policies_list_key').on(t.listKey, t.id),
  ],
);

export const exclusions = pgTable(
  'exclusions',
  {
    id: serial('id').primaryKey(),
    listKey: text('list_key').notNull(),
    state: text('state', { enum: exclusionStates }).notNull(),
    reason: text('reason').notNull(),
    decidedBy: integer('decided_by').references(() => credentials.id),
    decidedAt: now('decided_at'),
  },
  (t) => [
    check('exclusions_state', oneOf('state', exclusionStates)),
    index('exclusions_list_key').on(t.listKey, t.id),
    // The decisions since the last build: the dashboard's queue, and the re-check queue's live exclusions.
    index('exclusions_decided').on(t.decidedAt),
  ],
);

export const delistingRequests = pgTable(
  'delisting_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listKey: text('list_key').notNull(),
    host: text('host').notNull(),
    contact: text('contact').notNull(),
    statement: text('statement').notNull(),
    /** sha256 of list key, contact and UTC day: the same request within a day is one request. */
    dedupeKey: text('dedupe_key').notNull(),
    state: text('state', { enum: delistingStates }).notNull().default('open'),
    createdAt: now('created_at'),
    decidedBy: integer('decided_by').references(() => credentials.id),
    decidedAt: at('decided_at'),
    reason: text('reason'),
  },
  (t) => [
    check('delisting_requests_state', oneOf('state', delistingStates)),
    uniqueIndex('delisting_requests_dedupe').on(t.dedupeKey),
    index('delisting_requests_state').on(t.state, t.createdAt),
    index('delisting_requests_list_key').on(t.listKey),
  ],
);

export const criteriaSets = pgTable(
  'criteria_sets',
  {
    version: serial('version').primaryKey(),
    definition: jsonb('definition').notNull(),
    createdBy: integer('created_by').references(() => credentials.id),
    createdAt: now('created_at'),
    active: boolean('active').notNull().default(false),
  },
  (t) => [uniqueIndex('criteria_sets_one_active').on(t.active).where(sql`${t.active}`)],
);

export const snapshots = pgTable(
  'snapshots',
  {
    version: integer('version').primaryKey(),
    /** Always version - 1 (null for version 1): the foreign key makes versions gap-free. */
    previousVersion: integer('previous_version'),
    createdAt: now('created_at'),
    criteriaVersion: integer('criteria_version')
      .notNull()
      .references(() => criteriaSets.version),
    entryCount: integer('entry_count').notNull(),
    listSha256: text('list_sha256').notNull(),
    manifest: text('manifest').notNull(),
    manifestSha256: text('manifest_sha256').notNull(),
    previousManifestSha256: text('previous_manifest_sha256'),
    addedCount: integer('added_count').notNull(),
    removedCount: integer('removed_count').notNull(),
    signingKid: text('signing_kid').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    check(
      'snapshots_gap_free',
      sql`(${t.version} = 1 and ${t.previousVersion} is null) or (${t.version} > 1 and ${t.previousVersion} is not null and ${t.previousVersion} = ${t.version} - 1)`,
    ),
    uniqueIndex('snapshots_previous').on(t.previousVersion),
    foreignKey({ name: 'snapshots_previous_fk', columns: [t.previousVersion], foreignColumns: [t.version] }),
  ],
);

export const listings = pgTable(
  'listings',
  {
    id: serial('id').primaryKey(),
    listKey: text('list_key').notNull(),
    addedVersion: integer('added_version')
      .notNull()
      .references(() => snapshots.version),
    removedVersion: integer('removed_version').references(() => snapshots.version),
  },
  (t) => [
    check('listings_range', sql`${t.removedVersion} is null or ${t.removedVersion} > ${t.addedVersion}`),
    uniqueIndex('listings_one_open').on(t.listKey).where(sql`${t.removedVersion} is null`),
    index('listings_list_key').on(t.listKey, t.addedVersion),
    index('listings_added').on(t.addedVersion),
    index('listings_removed').on(t.removedVersion),
  ],
);

/**
 * The re-check queue's evidence as of the last build (issue 22): each open listing no exclusion
 * keeps off, with its newest online confirmation and when it would expire, replaced whole by
 * each build in its transaction. The console's queue and the dashboard read it along the
 * confirmation order, with the delisting requests and exclusions as they are now.
 */
export const recheckQueue = pgTable(
  'recheck_queue',
  {
    listKey: text('list_key').primaryKey(),
    listedSince: integer('listed_since').notNull(),
    confirmedAt: at('confirmed_at'),
    expiresAt: at('expires_at'),
    /** confirmedAt in microseconds since 1970, the smallest bigint for none: the sort key. */
    confirmedMicros: bigint('confirmed_micros', { mode: 'bigint' }).notNull(),
  },
  (t) => [index('recheck_queue_confirmed').on(t.confirmedMicros, sql`${t.listKey} collate "C"`)],
);

/**
 * Each domain's first listing, written by the build that first lists it (once: a later
 * re-listing keeps the first row): the time from its first report to that version.
 */
export const firstListings = pgTable(
  'first_listings',
  {
    listKey: text('list_key').primaryKey(),
    version: integer('version')
      .notNull()
      .references(() => snapshots.version),
    /** When the service received the key's earliest report. */
    firstReportedAt: at('first_reported_at').notNull(),
    /** When that version was built. */
    listedAt: at('listed_at').notNull(),
  },
  (t) => [index('first_listings_version').on(t.version)],
);

/**
 * The confirmation queue as of the last build (issue 21): the keys that build found failing the
 * criteria only on the number of confirming organisations or countries, with what they lack and
 * their sort keys, replaced whole by each build in its transaction. The reporters' filter reads
 * assessedBy and confirmedIn for counts; pages check the live assessments too.
 */
export const confirmationCandidates = pgTable(
  'confirmation_candidates',
  {
    listKey: text('list_key').primaryKey(),
    /** Confirmations it needs: one from a new country is a new organisation too. */
    needed: integer('needed').notNull(),
    missingOrganisations: integer('missing_organisations').notNull(),
    missingCountries: integer('missing_countries').notNull(),
    /** When its material was last confirmed online, in ms (0: never), the second sort key. */
    latestMs: bigint('latest_ms', { mode: 'number' }).notNull(),
    reports: integer('reports').notNull(),
    confirmingOrganisations: integer('confirming_organisations').notNull(),
    confirmingCountries: integer('confirming_countries').notNull(),
    /** Organisations with any assessment of its reports, and the countries of those that confirmed. */
    assessedBy: integer('assessed_by').array().notNull(),
    confirmedIn: text('confirmed_in').array().notNull(),
  },
  // The queue's order, keys bytewise: pages are read along it from the cursor.
  (t) => [
    index('confirmation_candidates_rank').on(
      t.needed,
      t.latestMs.desc(),
      t.reports.desc(),
      sql`${t.listKey} collate "C"`,
    ),
  ],
);

/**
 * Each reported key's figures as of the last build (issue 22): when its material was last
 * confirmed online and how many organisations and countries confirm it, as the criteria count
 * them. Replaced whole by each build in its transaction; the domains table sorts by these along
 * an index (an order over every key's evidence cannot be computed per page), and shows the
 * live figures of the keys a page reaches.
 */
export const domainFigures = pgTable(
  'domain_figures',
  {
    listKey: text('list_key').primaryKey(),
    /** When its material was last confirmed online, in ms (0: never). */
    latestMs: bigint('latest_ms', { mode: 'number' }).notNull(),
    confirmingOrganisations: integer('confirming_organisations').notNull(),
    confirmingCountries: integer('confirming_countries').notNull(),
  },
  // Each sort, keys bytewise as the tie-break; descending pages read the same index backwards.
  (t) => [
    index('domain_figures_latest').on(t.latestMs, sql`${t.listKey} collate "C"`),
    index('domain_figures_confirmations').on(
      t.confirmingOrganisations,
      t.confirmingCountries,
      sql`${t.listKey} collate "C"`,
    ),
  ],
);

/**
 * Each reported key's evidence as of the last build (issue 16): the aggregate of evidence.ts
 * kept per key, with the verdict of evaluate() and the moment it next changes by time alone
 * (its earliest counting assessment leaving the criteria's window). A build re-aggregates
 * only the keys named in evidence_changes and those whose changes_at has passed.
 */
export const keyEvidence = pgTable(
  'key_evidence',
  {
    listKey: text('list_key').primaryKey(),
    reports: integer('reports').notNull(),
    offlineReports: integer('offline_reports').notNull(),
    confirmed: integer('confirmed').notNull(),
    qualifyingOrganisations: integer('qualifying_organisations').notNull(),
    qualifyingCountries: integer('qualifying_countries').notNull(),
    anyRealChild: boolean('any_real_child').notNull(),
    /** ageRank() of the youngest apparent age among confirmations. */
    youngestRank: integer('youngest_rank'),
    highestSeverity: integer('highest_severity'),
    latestOnlineAt: at('latest_online_at'),
    excluded: boolean('excluded').notNull(),
    included: boolean('included').notNull(),
    changesAt: at('changes_at'),
  },
  (t) => [
    index('key_evidence_changes_at').on(t.changesAt),
    index('key_evidence_included').on(sql`${t.listKey} collate "C"`).where(sql`included`),
  ],
);

/**
 * The keys whose evidence a write changed since the last build took them: appended by the
 * triggers of migration 0009 in the writer's transaction, taken (deleted) by the build. No
 * key: a key may be named many times, so writers never wait for one another here.
 */
export const evidenceChanges = pgTable('evidence_changes', { listKey: text('list_key').notNull() });

/**
 * Under which criteria key_evidence was made, and which version lists exactly the keys it
 * includes (one row). No row: it must be made whole again (a new database, a restore, a
 * truncated evidence table, whose triggers delete it).
 */
export const evidenceSummary = pgTable(
  'evidence_summary',
  {
    id: smallint('id').primaryKey().default(1),
    criteriaVersion: integer('criteria_version').notNull(),
    /**
     * The version whose entries are the included keys: a build then compares only the keys it
     * re-aggregates with the listings. Null on a national instance (its list is an overlay).
     */
    listedVersion: integer('listed_version'),
    refreshedAt: at('refreshed_at').notNull(),
  },
  (t) => [check('evidence_summary_singleton', sql`${t.id} = 1`)],
);

export const artifacts = pgTable(
  'artifacts',
  {
    version: integer('version')
      .notNull()
      .references(() => snapshots.version),
    format: text('format', { enum: formats }).notNull(),
    bytes: bytea('bytes').notNull(),
    gzip: bytea('gzip').notNull(),
    sha256: text('sha256').notNull(),
    gzipSha256: text('gzip_sha256').notNull(),
  },
  (t) => [primaryKey({ columns: [t.version, t.format] })],
);

export const timestamps = pgTable(
  'timestamps',
  {
    id: smallint('id').primaryKey().default(1),
    version: integer('version')
      .notNull()
      .references(() => snapshots.version),
    jws: text('jws').notNull(),
    issuedAt: at('issued_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [check('timestamps_singleton', sql`${t.id} = 1`)],
);

export const signingKeys = pgTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    alg: text('alg').notNull().default('EdDSA'),
    publicJwk: jsonb('public_jwk').notNull(),
    /** Where the private half lives: `file:<name>` under DATA_DIR/keys, or `env:WOL_SIGNING_KEY`. */
    privateRef: text('private_ref').notNull(),
    state: text('state', { enum: signingKeyStates }).notNull(),
    createdAt: now('created_at'),
    retiringAt: at('retiring_at'),
    retiredAt: at('retired_at'),
  },
  (t) => [
    check('signing_keys_state', oneOf('state', signingKeyStates)),
    uniqueIndex('signing_keys_one_active').on(t.state).where(sql`${t.state} = 'active'`),
  ],
);

/** TSIG keys for zone transfers (issue 18): each belongs to a credential and ends with it. */
export const tsigKeys = pgTable(
  'tsig_keys',
  {
    id: serial('id').primaryKey(),
    credentialId: integer('credential_id')
      .notNull()
      .references(() => credentials.id),
    /** The key's DNS name, lowercase without the trailing dot: what a request's TSIG names. */
    name: text('name').notNull(),
    algorithm: text('algorithm', { enum: tsigAlgorithms }).notNull(),
    /** AES-256-GCM under the sealing key in DATA_DIR/keys: a database dump alone does not reveal it. */
    sealedSecret: text('sealed_secret').notNull(),
    /** Secondaries to NOTIFY after each new version, as `address:port`. */
    notify: jsonb('notify').$type<string[]>().notNull().default([]),
    createdBy: integer('created_by').references(() => credentials.id),
    createdAt: now('created_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [
    check('tsig_keys_algorithm', oneOf('algorithm', tsigAlgorithms)),
    uniqueIndex('tsig_keys_name').on(t.name),
    index('tsig_keys_credential').on(t.credentialId),
  ],
);

export const pulls = pgTable(
  'pulls',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    credentialId: integer('credential_id')
      .notNull()
      .references(() => credentials.id),
    version: integer('version'),
    format: text('format').notNull(),
    status: smallint('status').notNull(),
    /** Identical pulls (credential, version, format, status, address) within one flush are one row. */
    count: integer('count').notNull().default(1),
    at: now('at'),
    ip: text('ip'),
    /** How it was served: null over HTTP, `axfr` or `ixfr` by zone transfer. */
    via: text('via', { enum: zoneTransferTypes }),
  },
  (t) => [index('pulls_credential').on(t.credentialId, t.at)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actor: integer('actor').references(() => credentials.id),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    detail: jsonb('detail').notNull().default({}),
    ip: text('ip'),
    at: now('at'),
  },
  (t) => [index('audit_log_subject').on(t.subject, t.at), index('audit_log_at').on(t.at)],
);

export const buildRuns = pgTable(
  'build_runs',
  {
    id: serial('id').primaryKey(),
    trigger: text('trigger').notNull(),
    startedAt: at('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    outcome: text('outcome', { enum: buildOutcomes }).notNull(),
    version: integer('version'),
    added: integer('added').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    /** Keys the build aggregated and evaluated (issue 16); null for a failed run or one made before 0010. */
    evaluated: integer('evaluated'),
    /** Whether it recomputed every key; null as evaluated. */
    full: boolean('full'),
    error: text('error'),
  },
  (t) => [check('build_runs_outcome', oneOf('outcome', buildOutcomes)), index('build_runs_started').on(t.startedAt)],
);

export const webhooks = pgTable(
  'webhooks',
  {
    id: serial('id').primaryKey(),
    organisationId: integer('organisation_id').references(() => organisations.id),
    url: text('url').notNull(),
    createdBy: integer('created_by').references(() => credentials.id),
    createdAt: now('created_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('webhooks_organisation').on(t.organisationId)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    version: integer('version').notNull(),
    attempt: smallint('attempt').notNull(),
    status: smallint('status'),
    error: text('error'),
    at: now('at'),
  },
  (t) => [index('webhook_deliveries_webhook').on(t.webhookId, t.at)],
);

/**
 * A national instance's verified upstream versions (issue 17): each central manifest JWS
 * verbatim, stored only after every check `worstof pull` makes, so a national version can
 * always show the upstream version it was built from.
 */
export const upstreamVersions = pgTable('upstream_versions', {
  version: integer('version').primaryKey(),
  manifest: text('manifest').notNull(),
  manifestSha256: text('manifest_sha256').notNull(),
  entryCount: integer('entry_count').notNull(),
  syncedAt: now('synced_at'),
});

/** The entries of each upstream version as ranges of versions per key, as `listings` holds ours. */
export const upstreamListings = pgTable(
  'upstream_listings',
  {
    id: serial('id').primaryKey(),
    listKey: text('list_key').notNull(),
    addedVersion: integer('added_version')
      .notNull()
      .references(() => upstreamVersions.version),
    removedVersion: integer('removed_version').references(() => upstreamVersions.version),
  },
  (t) => [
    check('upstream_listings_range', sql`${t.removedVersion} is null or ${t.removedVersion} > ${t.addedVersion}`),
    uniqueIndex('upstream_listings_one_open').on(t.listKey).where(sql`${t.removedVersion} is null`),
    index('upstream_listings_added').on(t.addedVersion),
    index('upstream_listings_removed').on(t.removedVersion),
  ],
);

/** The follower's state (one row): the last successful sync, the last error, the upstream timestamp's exp. */
export const upstreamState = pgTable(
  'upstream_state',
  {
    id: smallint('id').primaryKey().default(1),
    /** The last sync that verified the upstream timestamp, whether or not it named a new version. */
    syncedAt: at('synced_at'),
    /** The `exp` of the last verified upstream timestamp: national timestamps never outlive it by more than the grace. */
    timestampExpiresAt: at('timestamp_expires_at'),
    errorReason: text('error_reason'),
    errorMessage: text('error_message'),
    errorAt: at('error_at'),
  },
  (t) => [check('upstream_state_singleton', sql`${t.id} = 1`)],
);

/** National withholdings of upstream entries (history kept; the newest row per key is in force). */
export const withholdings = pgTable(
  'withholdings',
  {
    id: serial('id').primaryKey(),
    listKey: text('list_key').notNull(),
    state: text('state', { enum: withholdingStates }).notNull(),
    category: text('category', { enum: withholdingCategories }),
    reason: text('reason').notNull(),
    decidedBy: integer('decided_by').references(() => credentials.id),
    decidedAt: now('decided_at'),
  },
  (t) => [
    check('withholdings_state', oneOf('state', withholdingStates)),
    check('withholdings_category', sql`${t.category} is null or ${oneOf('category', withholdingCategories)}`),
    index('withholdings_list_key').on(t.listKey, t.id),
  ],
);
