import { createHash } from "node:crypto";

/** A 256-bit key with a stable id derived from its bytes (the JWE `kid`). */
export interface SecretKey {
  id: string;
  key: Uint8Array;
}

export function keyFromBytes(key: Uint8Array): SecretKey {
  return { id: createHash("sha256").update(key).digest("base64url").slice(0, 12), key };
}

/** `SECRET_KEYS`: comma-separated base64url 32-byte keys; the first one seals new data. */
export function parseSecretKeys(value: string): SecretKey[] {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error("needs at least one key");
  return parts.map((p, i) => {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(p)) throw new Error(`key ${i + 1} is not base64url`);
    const bytes = Buffer.from(p, "base64url");
    if (bytes.length !== 32) throw new Error(`key ${i + 1} decodes to ${bytes.length} bytes, expected 32`);
    return keyFromBytes(new Uint8Array(bytes));
  });
}
