/**
 * The Node webhook sender: node:http(s) with a lookup of our own. The name is resolved once
 * (every address, A and AAAA), each address is checked, and the socket connects to those
 * checked addresses only: what the resolver answers a moment later (DNS rebinding) is never
 * asked. One name with any refused address is refused whole. Node-only (node:dns): the Workers
 * entry uses fetch (webhook-sender.ts). No connection is reused, none kept open.
 */
import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { type WebhookSender, WebhookTargetRefused } from './webhook-sender.ts';

function checkedLookup(allowed: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) =>
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.length === 0 || addresses.some((a) => !allowed(a.address)))
        return callback(new WebhookTargetRefused(), '');
      // net asks for every address when it tries the families in turn (autoSelectFamily), else for one.
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
}

export const nodeWebhookSender: WebhookSender = (url, post, allowed) =>
  new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      { method: 'POST', headers: post.headers, signal: post.signal, lookup: checkedLookup(allowed), agent: false },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(post.body);
  });
