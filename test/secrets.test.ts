import { describe, expect, it } from "vitest";
import { keyFromBytes } from "../src/secrets/keys.js";
import { createSealer } from "../src/secrets/seal.js";
import { constantTimeEqual, pkceChallenge, randomToken, sha256 } from "../src/secrets/tokens.js";

const k1 = keyFromBytes(new Uint8Array(32).fill(1));
const k2 = keyFromBytes(new Uint8Array(32).fill(2));

describe("sealing", () => {
  it("round-trips as a compact JWE with dir/A256GCM and the key id", async () => {
    const sealer = createSealer([k1]);
    const jwe = await sealer.seal("gho_secret", "grant:1:upstream");
    expect(jwe.split(".")).toHaveLength(5);
    expect(jwe).not.toContain("gho_secret");
    const header = JSON.parse(Buffer.from(jwe.split(".")[0] ?? "", "base64url").toString()) as Record<string, string>;
    expect(header).toMatchObject({ alg: "dir", enc: "A256GCM", kid: k1.id });
    expect(await sealer.open(jwe, "grant:1:upstream")).toBe("gho_secret");
  });

  it("keeps old data readable after a rotation, and seals new data with the first key", async () => {
    const old = await createSealer([k1]).seal("v", "p");
    const rotated = createSealer([k2, k1]);
    expect(await rotated.open(old, "p")).toBe("v");
    const fresh = await rotated.seal("v", "p");
    await expect(createSealer([k1]).open(fresh, "p")).rejects.toThrow(/no secret key/);
  });

  it("refuses a value sealed for another purpose (copied between rows)", async () => {
    const sealer = createSealer([k1]);
    const jwe = await sealer.seal("v", "grant:a:notion");
    await expect(sealer.open(jwe, "grant:b:notion")).rejects.toThrow(/purpose/);
  });

  it("refuses a tampered value", async () => {
    const sealer = createSealer([k1]);
    const parts = (await sealer.seal("value", "p")).split(".");
    parts[3] = Buffer.from("other").toString("base64url");
    await expect(sealer.open(parts.join("."), "p")).rejects.toThrow();
  });
});

describe("tokens", () => {
  it("are 256-bit random base64url strings", () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(t);
  });

  it("hash deterministically and compare in constant time", () => {
    expect(sha256("a")).toBe(sha256("a"));
    expect(sha256("a")).not.toBe(sha256("b"));
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });

  it("computes the S256 challenge as base64url(SHA-256(verifier)) (FIPS 180-2 'abc' vector)", () => {
    const digest = Buffer.from("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "hex");
    expect(pkceChallenge("abc")).toBe(digest.toString("base64url"));
  });
});
