import { Agent, fetch as undiciFetch } from "undici";

/**
 * Every outbound call to a configured upstream (GitHub, Notion) goes through one undici Agent
 * with keep-alive and connect/header/body timeouts, so no call can hang a request. Callers add
 * a per-call deadline with `AbortSignal.timeout` on top. User-supplied URLs do NOT use this
 * client: they go through the guarded fetcher.
 */
export type Fetch = typeof undiciFetch;

export interface OutboundOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export function createOutboundFetch(opts: OutboundOptions = {}): { fetch: Fetch; close: () => Promise<void> } {
  const agent = new Agent({
    connect: { timeout: opts.connectTimeoutMs ?? 5_000 },
    headersTimeout: opts.headersTimeoutMs ?? 10_000,
    bodyTimeout: opts.bodyTimeoutMs ?? 10_000,
    keepAliveTimeout: 30_000,
    connections: 64,
  });
  const fetch: Fetch = (input, init) => undiciFetch(input, { ...init, dispatcher: agent });
  return { fetch, close: () => agent.close() };
}
