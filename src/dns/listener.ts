/**
 * The DNS listener (issue 18), Node only: TCP for transfers and queries, UDP for SOA queries
 * (and the NOTIFY answers it ignores), on WOL_DNS_LISTEN. A thin adapter: framing, limits and
 * counting here; what to answer is services/zone-transfer.ts.
 *
 * Limits: requests per source address per second (WOL_DNS_RATE; over it UDP is dropped and
 * TCP closed), requests of at most MAX_REQUEST bytes, connections per source and in all, an
 * idle timeout. A malformed request is counted and its connection closed; nothing thrown by
 * a request reaches the process.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Deps } from '../deps.ts';
import { FixedWindowLimiter } from '../http/rate-limit.ts';
import { answerDns, MalformedRequestError } from '../services/zone-transfer.ts';

/** A real request (a question, an SOA for IXFR, a TSIG) is a few hundred bytes. */
const MAX_REQUEST = 4096;
const MAX_CONNECTIONS = 256;
const MAX_CONNECTIONS_PER_SOURCE = 8;
const IDLE_MS = 30_000;
const UDP_MAX_ANSWER = 512;

export interface DnsListener {
  address: string;
  port: number;
  stop(): Promise<void>;
}

export function parseListen(listen: string): { host: string; port: number; family: 4 | 6 } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  if (!match) throw new Error(`WOL_DNS_LISTEN=${listen}: expected address:port`);
  const v6 = match[1];
  return { host: v6 ?? (match[2] as string), port: Number(match[3]), family: v6 ? 6 : 4 };
}

export async function startDnsListener(deps: Deps, listen: string): Promise<DnsListener> {
  const { host, port: wanted, family } = parseListen(listen);
  const limiter = new FixedWindowLimiter({ limit: deps.config.WOL_DNS_RATE, windowMs: 1000 });
  const count = (transport: 'tcp' | 'udp', outcome: string) => deps.metrics?.dns?.({ transport, outcome });
  const allowed = (ip: string) => limiter.take(ip, deps.clock().getTime()).allowed;
  const perSource = new Map<string, number>();
  const sockets = new Set<Socket>();

  const tcp: Server = createServer({ noDelay: true }, (socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const open = perSource.get(ip) ?? 0;
    if (sockets.size >= MAX_CONNECTIONS || open >= MAX_CONNECTIONS_PER_SOURCE) {
      count('tcp', 'limited');
      socket.destroy();
      return;
    }
    perSource.set(ip, open + 1);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      const left = (perSource.get(ip) ?? 1) - 1;
      if (left > 0) perSource.set(ip, left);
      else perSource.delete(ip);
    });
    socket.on('error', () => {});
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    serveConnection(deps, socket, ip, allowed, (outcome) => count('tcp', outcome));
  });

  const udp: UdpSocket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
  udp.on('error', (error) => deps.log.warn({ err: error }, 'DNS listener: UDP error'));
  udp.on('message', (message, from) => {
    if (!allowed(from.address)) return count('udp', 'limited');
    if (message.length > MAX_REQUEST) return count('udp', 'malformed');
    answerDns(deps, message, 'udp', from.address).then(
      (answer) => {
        if (!answer) return;
        count('udp', answer.outcome);
        const [reply] = answer.messages;
        if (reply && answer.messages.length === 1 && reply.length <= UDP_MAX_ANSWER)
          udp.send(reply, from.port, from.address);
      },
      (error) => {
        if (error instanceof MalformedRequestError) return count('udp', 'malformed');
        count('udp', 'error');
        deps.log.warn({ err: error }, 'DNS listener: a UDP request failed');
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen({ host, port: wanted, ipv6Only: family === 6 }, () => {
      tcp.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`WOL_DNS_LISTEN=${listen}: cannot listen (${error.code ?? error.message})`, { cause: error });
  });
  const port = (tcp.address() as { port: number }).port;
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: host, port }, () => {
      udp.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    tcp.close();
    throw new Error(`WOL_DNS_LISTEN=${listen}: cannot listen on UDP (${error.code ?? error.message})`, {
      cause: error,
    });
  });
  deps.log.info({ address: host, port, zone: deps.config.WOL_RPZ_ZONE }, 'DNS listener is serving');

  return {
    address: host,
    port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const socket of sockets) socket.end();
      const forced = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, 2000).unref();
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await closed;
      clearTimeout(forced);
    },
  };
}

/** Reads length-prefixed requests one after another and writes each answer's messages. */
function serveConnection(
  deps: Deps,
  socket: Socket,
  ip: string,
  allowed: (ip: string) => boolean,
  count: (outcome: string) => void,
): void {
  let buffered = Buffer.alloc(0);
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (buffered.length >= 2 && !socket.destroyed) {
        const length = buffered.readUInt16BE(0);
        if (length < 12 || length > MAX_REQUEST) {
          count('malformed');
          socket.destroy();
          return;
        }
        if (buffered.length < 2 + length) break;
        const request = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        if (!allowed(ip)) {
          count('limited');
          socket.destroy();
          return;
        }
        const answer = await answerDns(deps, Buffer.from(request), 'tcp', ip);
        if (!answer) continue;
        count(answer.outcome);
        for (const message of answer.messages) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(message.length);
          if (!socket.write(Buffer.concat([prefix, message])))
            await new Promise<void>((resolve) => {
              socket.once('drain', resolve);
              socket.once('close', resolve);
            });
          if (socket.destroyed) return;
        }
      }
    } catch (error) {
      if (error instanceof MalformedRequestError) count('malformed');
      else {
        count('error');
        deps.log.warn({ err: error }, 'DNS listener: a TCP request failed');
      }
      socket.destroy();
    } finally {
      busy = false;
    }
    if (buffered.length >= 2 && !socket.destroyed) void pump();
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > 2 + MAX_REQUEST * 4) {
      count('malformed');
      socket.destroy();
      return;
    }
    void pump();
  });
}
