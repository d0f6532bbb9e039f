/**
 * The STIX 2.1 and TAXII 2.1 rules the served objects must keep, written from the
 * specifications (not from src/core): each check returns the broken rules, [] when none.
 */
import { isIP } from 'node:net';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
/** STIX 2.1 section 3.2: created and modified "MUST be precise to the nearest millisecond". */
export const MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
// STIX patterning: [object-type:property = 'literal'], the literal with \' and \\ escaped.
const COMPARISON = /^\[(domain-name|ipv4-addr|ipv6-addr):value = '((?:[^'\\]|\\['\\])*)'\]$/;
const INDICATOR_TYPES = [
  'anomalous-activity',
  'anonymization',
  'benign',
  'compromised',
  'malicious-activity',
  'attribution',
  'unknown',
];

export function stixProblems(object: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, rule: string) => {
    if (!ok) problems.push(`${String(object.id)}: ${rule}`);
  };
  const type = object.type as string;
  need(/^[a-z][a-z0-9-]{1,248}[a-z0-9]$/.test(type ?? ''), 'type is a lowercase name');
  need(object.spec_version === '2.1', 'spec_version is 2.1');
  need(new RegExp(`^${type}--${UUID}$`).test(String(object.id)), 'id is type--UUID');
  for (const field of ['created', 'modified'])
    need(MILLIS.test(String(object[field])), `${field} is a UTC timestamp to the millisecond`);
  need(String(object.modified) >= String(object.created), 'modified is not before created');
  if (object.revoked !== undefined) need(typeof object.revoked === 'boolean', 'revoked is a boolean');
  if (object.created_by_ref !== undefined)
    need(new RegExp(`^identity--${UUID}$`).test(String(object.created_by_ref)), 'created_by_ref names an identity');
  for (const ref of (object.object_marking_refs as unknown[] | undefined) ?? [])
    need(new RegExp(`^marking-definition--${UUID}$`).test(String(ref)), 'object_marking_refs are marking definitions');
  if (type === 'indicator') {
    need(typeof object.pattern === 'string', 'pattern is required');
    need(object.pattern_type === 'stix', 'pattern_type is stix');
    need(MILLIS.test(String(object.valid_from)), 'valid_from is a timestamp');
    if (object.valid_until !== undefined)
      need(
        MILLIS.test(String(object.valid_until)) && String(object.valid_until) > String(object.valid_from),
        'valid_until is later than valid_from',
      );
    const types = object.indicator_types as unknown[] | undefined;
    if (types !== undefined)
      need(
        Array.isArray(types) && types.length > 0 && types.every((t) => INDICATOR_TYPES.includes(String(t))),
        'indicator_types are from indicator-type-ov',
      );
    const match = COMPARISON.exec(String(object.pattern));
    need(match !== null, 'pattern is one comparison of a value');
    if (match) {
      const value = match[2]!.replace(/\\(['\\])/g, '$1');
      const valid = {
        'domain-name': DOMAIN.test(value),
        'ipv4-addr': isIP(value) === 4,
        'ipv6-addr': isIP(value) === 6,
      };
      need(valid[match[1] as keyof typeof valid], `the ${match[1]} value is one`);
    }
  }
  if (type === 'identity') need(typeof object.name === 'string' && object.name !== '', 'name is required');
  return problems;
}
