import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * GitHub's webhook signature (`X-Hub-Signature-256`): `sha256=` and the hex HMAC-SHA256 of the raw
 * body under the webhook secret. Computed over the bytes as received, never over re-serialised
 * JSON, which would not be byte-identical.
 */
export function signPayload(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Constant-time check; a missing or malformed header is simply a mismatch. */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signPayload(secret, body));
  const given = Buffer.from(header);
  // The expected length is public (71 bytes), so checking it first leaks nothing.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
