/** Canonicalisation throughput against tldts.parse alone on the same URLs. */
import { parse } from 'tldts';
import { canonicalize } from '../src/core/canonicalize.ts';
import { round, timed } from './measure.ts';

export function syntheticUrls(count: number): string[] {
  const shapes = [
    (i: number) => `http://img${i % 7}.zz-bench-${i % 9973}.com/gallery/${i}?page=${i % 5}`,
    (i: number) => `HTTPS://WWW.ZZ-Bench-${i % 7919}.Net:8443/a/../b/${i}#frag`,
    (i: number) => `zz-bench-${i % 6007}.co.uk/path/${i}`,
    (i: number) => `http://user${i}.zz-blog-${i % 101}.blogspot.com/${i}`,
    (i: number) => `http://%77ww.zz-bench-${i % 5003}.org/${i}`,
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length]!(i));
}

export async function benchCanonicalize(count: number) {
  const urls = syntheticUrls(count);
  // Warm up the JIT on both sides.
  for (const url of urls.slice(0, 2000)) {
    canonicalize(url);
    parse(url);
  }
  const ours = await timed(async () => {
    for (const url of urls) canonicalize(url);
  });
  const bare = await timed(async () => {
    for (const url of urls) parse(url, { allowPrivateDomains: true });
  });
  const perSec = Math.round(count / (ours.ms / 1000));
  const tldtsPerSec = Math.round(count / (bare.ms / 1000));
  return { urls: count, perSec, tldtsPerSec, ratio: round(perSec / tldtsPerSec) };
}
