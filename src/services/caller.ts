/**
 * Who calls a verb, as one value: the credential's principal, the client's address and the
 * request's id. Verbs take `(deps, { caller, input })` (a `Call`), never positional actor and
 * address arguments, so the audit rows and pull records of every verb name the same three.
 *
 * The rule: a verb takes a caller when it checks who may call it or records who did. A verb
 * that anyone may call, or that finds its caller itself (a delisting request, a sign-in by
 * key), takes a caller without a principal (`Caller<null>`). The DNS listener's `answerDns`
 * is a protocol handler, not such a verb: it takes the packet and its source address, and its
 * caller is the TSIG key the packet is signed with.
 * Where the system runs a verb that people run too (the scheduled, debounced or command-line
 * build), it passes `systemCaller`. Verbs that only the system runs (key generation and
 * rotation, upstream syncs, notifications) take `(deps, input)` and record no actor.
 */
import type { Principal } from './principal.ts';

export interface Caller<P extends Principal | null = Principal> {
  principal: P;
  /** The client's address, as audit rows and pull records keep it; null when not over the network. */
  ip: string | null;
  /** The request's id, as its log lines and problem documents carry it; null outside a request. */
  requestId: string | null;
}

/** The system itself: a schedule, the command line, a start-up step. */
export const systemCaller: Caller<null> = { principal: null, ip: null, requestId: null };

/** A verb's one argument after `deps`; a verb that needs nothing but its caller takes `Call` alone. */
export type Call<Input = never, P extends Principal | null = Principal> = [Input] extends [never]
  ? { caller: Caller<P> }
  : { caller: Caller<P>; input: Input };
