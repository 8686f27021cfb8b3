/**
 * Why the guarded fetcher refused a user-supplied URL. Every refusal is decided before a byte of
 * the request leaves (or, for limits, as soon as the answer crosses them), and names its reason so
 * the provider can explain it and tests can prove each one.
 */
export type RefusalReason =
  /** not a parseable absolute URL */
  | "invalid-url"
  /** anything but http: and https: */
  | "scheme"
  /** `user:password@` in the URL: never forwarded to a third party */
  | "credentials"
  /** the host is an IP address, in any spelling (`2130706433`, `0x7f.1`, `[::1]` …) */
  | "ip-literal"
  /** a port outside the allowed list (80 and 443 by default) */
  | "port"
  /** the name resolved to (or the socket ended up at) an address that is not public unicast */
  | "private-address"
  /** more hops than allowed (3) */
  | "too-many-redirects"
  /** a redirect without a usable Location */
  | "bad-redirect"
  /** more decoded bytes than allowed */
  | "too-large"
  /** the total deadline of the fetch passed */
  | "timeout"
  /** the answer is not one of the media types asked for */
  | "content-type"
  /** a content coding we do not decode */
  | "content-encoding";

export class FetchRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = "FetchRefused";
  }
}

/** The site could not be reached or broke the connection: not a refusal, an upstream failure. */
export class FetchFailed extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FetchFailed";
  }
}
