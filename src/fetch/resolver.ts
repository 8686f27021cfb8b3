import { lookup } from "node:dns/promises";

/**
 * Name → addresses. The guarded connector asks this once per connection and dials only an address
 * it has checked, so a second lookup cannot answer differently (DNS rebinding). Injected so tests
 * can map names to any address, including the ones we must refuse.
 */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The operating system's resolver (`getaddrinfo`: hosts file, search domains, DNS), every address. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => a.address);
};
