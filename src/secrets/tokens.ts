import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** An opaque credential: 256 bits from the CSPRNG, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** What the store keeps instead of a credential. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/**
 * Constant-time string comparison. Both sides are hashed first so the comparison does not leak
 * the expected length either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** PKCE S256 challenge of a verifier (RFC 7636). */
export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}
