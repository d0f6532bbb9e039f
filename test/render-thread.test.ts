/**
 * The Node render thread: the same bytes as rendering inline, while the serving thread stays
 * free (a callback queued before the render runs before it ends), and a render failure
 * (a key the formats refuse) rejects with its message instead of hanging.
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { Entry } from '../src/core/formats.ts';
import { threadRenderer } from '../src/render-thread.ts';
import { renderArtifacts } from '../src/services/artifact-rendering.ts';

const context = { list: 'worst-of' as const, version: 7, createdAt: new Date('2026-12-01T10:00:00Z') };
const entries: Entry[] = [
  ...Array.from({ length: 20_000 }, (_, i) => ({
    key: `zz-site-${String(i).padStart(5, '0')}.example`,
    since: 1 + (i % 6),
  })),
  { key: '192.0.2.7', since: 3 },
  { key: '2001:db8::7', since: 4 },
].sort((a, b) => (Buffer.from(a.key) < Buffer.from(b.key) ? -1 : 1));

const renderer = threadRenderer();
afterAll(() => renderer.close());

describe('the render thread', () => {
  it('renders the same bytes, gzip and digests as rendering inline', async () => {
    const inline = renderArtifacts(entries, context);
    const threaded = await renderer.render(entries, context);
    expect(Object.keys(threaded).sort()).toEqual(Object.keys(inline).sort());
    for (const [format, artifact] of Object.entries(inline)) {
      const other = threaded[format as keyof typeof threaded];
      expect(other.sha256, format).toBe(artifact.sha256);
      expect(other.gzipSha256, format).toBe(artifact.gzipSha256);
      expect(Buffer.from(other.bytes).equals(Buffer.from(artifact.bytes)), format).toBe(true);
    }
  });

  // Linux only: a thread's nice value is its own there, and this process's threads are listed in /proc.
  it.skipIf(process.platform !== 'linux')('runs below the priority of the serving thread', async () => {
    await renderer.render(entries.slice(0, 10), context);
    const nice = async (task: string) => {
      const stat = await readFile(`/proc/self/task/${task}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const tasks = await readdir('/proc/self/task');
    const values = await Promise.all(tasks.map(nice));
    const base = os.getPriority(0);
    expect(await nice(String(process.pid))).toBe(base);
    expect(values).toContain(Math.min(19, base + 10));
  });

  it('leaves the calling thread free while it renders', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await renderer.render(entries, context).then(() => order.push('rendered'));
    expect(order).toEqual(['other work', 'rendered']);
  });

  it('rejects with the renderer message on input the formats refuse, and renders again after', async () => {
    await expect(renderer.render([{ key: 'Not A Key', since: 1 }], context)).rejects.toThrow(/not a canonical|key/i);
    expect((await renderer.render(entries.slice(0, 10), context)).txt.bytes.length).toBeGreaterThan(0);
  });
});
