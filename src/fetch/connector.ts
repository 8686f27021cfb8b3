import type { Socket } from "node:net";
import { buildConnector } from "undici";
import { addressProblem, type AddressPolicy } from "./address.js";
import { FetchFailed, FetchRefused } from "./errors.js";
import type { Resolver } from "./resolver.js";

/**
 * The `connect` of the guarded undici Agent: it resolves the host itself, refuses the whole answer
 * if any address is not allowed (a mixed answer is an attack, not a fallback), dials the checked
 * address with the original name for SNI and certificate checks, and checks the connected
 * socket's `remoteAddress` once more, so whatever happens between lookup and connect, no
 * request is ever written to a socket that ended up on a refused address.
 */

/** undici's connector signature: dial `hostname:port` (TLS for https) and call back with the socket. */
export type Dialer = buildConnector.connector;

export interface GuardedConnectorOptions {
  policy: AddressPolicy;
  resolve: Resolver;
  /** Defaults to undici's own connector (net/tls) with `connectTimeoutMs`. */
  dial?: Dialer;
  connectTimeoutMs?: number;
}

export function createGuardedConnector(opts: GuardedConnectorOptions): Dialer {
  const dial = opts.dial ?? buildConnector({ timeout: opts.connectTimeoutMs ?? 5_000 });

  return (options, callback) => {
    const hostname = options.hostname;
    opts.resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new FetchFailed(`${hostname} has no address`), null);
        for (const address of addresses) {
          const problem = addressProblem(address, opts.policy);
          if (problem) return callback(refusal(hostname, problem), null);
        }
        // checked addresses in the resolver's order; the next one only when a dial fails
        const attempt = (index: number, lastError: Error | null): void => {
          const address = addresses[index];
          if (address === undefined) return callback(lastError ?? new FetchFailed(`could not connect to ${hostname}`), null);
          dial({ ...options, hostname: address, servername: options.servername ?? hostname }, (err, socket) => {
            if (err || !socket) return attempt(index + 1, err ?? null);
            const problem = remoteProblem(socket, opts.policy);
            if (problem) {
              socket.destroy();
              return callback(refusal(hostname, problem), null);
            }
            callback(null, socket);
          });
        };
        attempt(0, null);
      },
      (err: unknown) => callback(new FetchFailed(`could not resolve ${hostname}`, { cause: err }), null),
    );
  };
}

function remoteProblem(socket: Socket, policy: AddressPolicy): string | null {
  const remote = socket.remoteAddress;
  // a socket that closed before we looked has no address: treat it as unverifiable
  if (!remote) return "the connection has no remote address";
  return addressProblem(remote, policy);
}

function refusal(hostname: string, problem: string): FetchRefused {
  return new FetchRefused("private-address", `${hostname} points to a private or reserved address (${problem}).`);
}
