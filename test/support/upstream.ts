/**
 * What stands between a national instance and its upstream in the refusal tests: a real HTTP
 * server on loopback that forwards to the central instance (changing the bytes it is told to)
 * or answers from recorded or crafted responses, as a tampering proxy or a restored server would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer = { status: number; body: string; type?: string };
export type Upstream = (path: string, headers: Record<string, string>) => Promise<Answer>;

export async function serveUpstream(answer: Upstream): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const headers = { authorization: String(request.headers.authorization ?? '') };
    answer(request.url ?? '/', headers).then(
      ({ status, body, type }) => {
        response.writeHead(status, { 'content-type': type ?? 'application/octet-stream' });
        response.end(body);
      },
      (error: Error) => {
        response.writeHead(502);
        response.end(error.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Forwards to `target`, passing each answer body through `alter` (identity unless told). */
export function forwardTo(target: string, alter: (path: string, body: string) => string = (_, b) => b): Upstream {
  return async (path, headers) => {
    const response = await fetch(`${target}${path}`, { headers });
    return {
      status: response.status,
      body: alter(path, await response.text()),
      type: response.headers.get('content-type') ?? undefined,
    };
  };
}
