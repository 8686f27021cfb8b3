import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from "jose";
import type { SecretKey } from "./keys.js";

/**
 * Secrets at rest as compact JWE (`dir` + `A256GCM`). The header carries the key id, so after a
 * rotation (new key first in SECRET_KEYS) rows sealed with an older key still open. The header
 * also carries a purpose (authenticated by GCM), so a sealed value copied into another row or
 * column does not open there.
 */
export interface Sealer {
  seal(plaintext: string, purpose: string): Promise<string>;
  open(jwe: string, purpose: string): Promise<string>;
}

export function createSealer(keys: readonly SecretKey[]): Sealer {
  const [current] = keys;
  if (!current) throw new Error("at least one secret key is required");
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    async seal(plaintext, purpose) {
      return new CompactEncrypt(encoder.encode(plaintext))
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: current.id, pur: purpose })
        .encrypt(current.key);
    },
    async open(jwe, purpose) {
      const header = decodeProtectedHeader(jwe);
      const key = typeof header.kid === "string" ? byId.get(header.kid) : undefined;
      if (!key) throw new Error(`no secret key with id ${String(header.kid)} (was it removed from SECRET_KEYS?)`);
      const { plaintext, protectedHeader } = await compactDecrypt(jwe, key, {
        keyManagementAlgorithms: ["dir"],
        contentEncryptionAlgorithms: ["A256GCM"],
      });
      if (protectedHeader.pur !== purpose) throw new Error("sealed value used for another purpose");
      return decoder.decode(plaintext);
    },
  };
}
