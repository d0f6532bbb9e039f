/**
 * The domain's vocabulary: the fixed sets of words the data model, the API, the configuration
 * and the console share, each defined once as an `as const` list with its type. The tables'
 * checks (db/schema.ts), the zod schemas and the console's choices derive from these; a new
 * value needs a migration for its check as well. Lists that belong with the code giving them
 * meaning stay there: artifact formats (formats.ts), domain states (domain-state.ts) and TSIG
 * algorithms (tsig.ts).
 */

/** What a credential may do; each key names its role (`wol_<role>_…`, tokens.ts). */
export const roles = ['reporter', 'analyst', 'admin', 'ncb', 'isp'] as const;
export type Role = (typeof roles)[number];

export const organisationKinds = ['hotline', 'agency', 'ncb', 'isp', 'operator'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const verdicts = ['confirmed', 'not_confirmed'] as const;
export type Verdict = (typeof verdicts)[number];

/** Youngest first: the order is what "maxApparentAge" compares against. */
export const apparentAges = ['infant_toddler', 'prepubescent', 'pubescent', 'adult', 'unknown'] as const;
export type ApparentAge = (typeof apparentAges)[number];

/** What an assessment says the classified item is (its `contentType`); not a media type. */
export const contentKinds = ['image', 'video', 'other'] as const;
export type ContentKind = (typeof contentKinds)[number];

/** Hashes an assessment may name the classified item by (issue 21); PDQ is Meta's 256-bit perceptual hash. */
export const hashAlgorithms = ['md5', 'sha1', 'sha256', 'pdq'] as const;
export type HashAlgorithm = (typeof hashAlgorithms)[number];

/** What a domain's reports are listed under: its registrable domain (the default) or each hostname. */
export const granularities = ['registrable', 'hostname'] as const;
export type Granularity = (typeof granularities)[number];

export const exclusionStates = ['excluded', 'restored'] as const;
export type ExclusionState = (typeof exclusionStates)[number];

export const delistingStates = ['open', 'accepted', 'rejected'] as const;
export type DelistingState = (typeof delistingStates)[number];

/** A national instance's withholding of an upstream entry (issue 17), and why. */
export const withholdingStates = ['withheld', 'lifted'] as const;
export type WithholdingState = (typeof withholdingStates)[number];
export const withholdingCategories = ['court_order', 'national_law', 'false_positive', 'other'] as const;
export type WithholdingCategory = (typeof withholdingCategories)[number];

/** A signing key's life: it signs while active, is still published while retiring, then not. */
export const signingKeyStates = ['active', 'retiring', 'retired'] as const;
export type SigningKeyState = (typeof signingKeyStates)[number];
/** The states of the keys the JWK Set publishes. */
export const publishedKeyStates = ['active', 'retiring'] as const satisfies readonly SigningKeyState[];
export type PublishedKeyState = (typeof publishedKeyStates)[number];

/** How a pull was served by zone transfer (a pull over HTTP has none). */
export const zoneTransferTypes = ['axfr', 'ixfr'] as const;
export type ZoneTransferType = (typeof zoneTransferTypes)[number];

export const buildOutcomes = ['changed', 'unchanged', 'failed'] as const;
export type BuildOutcome = (typeof buildOutcomes)[number];
