import { generateKeyPairSync } from "node:crypto";
import { fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";
import { createInstallationTokens, parseAppPrivateKey } from "../src/providers/github/appAuth.js";
import type { Provider, UnfurlContext } from "../src/providers/types.js";
import { type FakeGitHub, startFakeGitHub } from "./fakes/github.js";
import { contextFor, providerFor, shown, byId } from "./github.helpers.js";
import { assertValidAttributes } from "../src/notion/validate.js";

/**
 * GitHub App mode: the app's RS256 JWT (from a PKCS#1 or PKCS#8 key) buys installation tokens,
 * which read public repositories so the user's token is not spent; private ones are still read
 * with the user's own token.
 */

const { privateKey: pkcs1 } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const pkcs8 = parseAppPrivateKey(pkcs1).export({ type: "pkcs8", format: "pem" }).toString();

let gh: FakeGitHub;
let mona: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.enableApp({ appId: "123456", privateKeyPem: pkcs1, installationId: 42 });
  mona = gh.addUser({ id: 1, login: "mona" }).token;
  gh.addRepository({ owner: "octo", name: "public", description: "Open widgets." });
  gh.addRepository({ owner: "octo", name: "private", private: true, collaborators: ["mona"], description: "Closed widgets." });
  gh.addPullRequest("octo", "public", { number: 1, title: "Open change" });
  gh.addPullRequest("octo", "private", { number: 1, title: "Closed change" });
});
afterEach(async () => {
  expect(gh.invalidQueries).toEqual([]);
  await gh.close();
});

function appProvider(pem: string, installationId?: string): Provider {
  const installation = createInstallationTokens({ appId: "123456", privateKey: parseAppPrivateKey(pem), installationId, apiUrl: gh.apiUrl, fetch });
  return providerFor(gh, { installation });
}

/** Counts how often the provider asked for the user's token. */
function counted(): { ctx: UnfurlContext; asked: () => number } {
  let asked = 0;
  const base = contextFor(mona, "mona");
  return {
    ctx: { ...base, upstreamToken: () => ((asked += 1), base.upstreamToken()) },
    asked: () => asked,
  };
}

async function preview(provider: Provider, href: string, ctx: UnfurlContext) {
  const match = provider.match(new URL(href));
  if (!match) throw new Error(`not claimed: ${href}`);
  return byId(assertValidAttributes(await provider.unfurl(match, ctx)));
}

const authOf = (path: string) => gh.requests.filter((r) => r.path === path).map((r) => r.headers["authorization"]?.slice(0, 11));

describe("GitHub App installation tokens", () => {
  it.each([
    ["PKCS#1", pkcs1, undefined],
    ["PKCS#8, installation found through /app/installations", pkcs8, undefined],
    ["PKCS#1 with an explicit installation", pkcs1, "42"],
  ])("read public repositories without the user's token (%s)", async (_name, pem, installationId) => {
    const provider = appProvider(pem, installationId);
    const { ctx, asked } = counted();
    expect(shown((await preview(provider, `${gh.webUrl}/octo/public/pull/1`, ctx))["title"])).toBe("Open change");
    expect(shown((await preview(provider, `${gh.webUrl}/octo/public`, ctx))["body"])).toBe("Open widgets.");
    expect(asked()).toBe(0);
    expect(authOf("/api/graphql")).toEqual(["Bearer ghs_"]);
    expect(gh.installationTokensIssued()).toBe(1);
  });

  it("read private repositories with the user's own token", async () => {
    const provider = appProvider(pkcs1);
    const { ctx, asked } = counted();
    expect(shown((await preview(provider, `${gh.webUrl}/octo/private/pull/1`, ctx))["title"])).toBe("Closed change");
    expect(asked()).toBe(1);
    expect(authOf("/api/graphql")).toEqual(["Bearer ghp_"]);
  });

  it("fall back to the user's token when the app cannot authenticate", async () => {
    const { privateKey: other } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const provider = appProvider(other);
    const { ctx, asked } = counted();
    expect(shown((await preview(provider, `${gh.webUrl}/octo/public/pull/1`, ctx))["title"])).toBe("Open change");
    expect(asked()).toBe(1);
  });
});

describe("GitHub App configuration", () => {
  const base = { NODE_ENV: "test", SECRET_KEYS: Buffer.alloc(32, 1).toString("base64url"), OAUTH_CLIENT_ID: "client-id-1", OAUTH_CLIENT_SECRET: "s".repeat(40) };

  it("accepts the key as PEM or with \\n escapes on one line, in PKCS#1 or PKCS#8", () => {
    for (const pem of [pkcs1, pkcs1.replace(/\n/g, "\\n"), pkcs8]) {
      const config = parseConfig({ ...base, GITHUB_APP_ID: "123456", GITHUB_APP_PRIVATE_KEY: pem, GITHUB_APP_INSTALLATION_ID: "42" });
      expect(config.github.app).toEqual({ id: "123456", privateKey: expect.stringMatching(/^-----BEGIN/), installationId: "42" });
      expect(parseAppPrivateKey(config.github.app?.privateKey ?? "").asymmetricKeyType).toBe("rsa");
    }
    expect(parseConfig(base).github.app).toBeUndefined();
  });

  it("refuses a key that is not an RSA private key, and an id without a key", () => {
    expect(() => parseConfig({ ...base, GITHUB_APP_ID: "1", GITHUB_APP_PRIVATE_KEY: "not a key" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, GITHUB_APP_ID: "1" })).toThrow(/GITHUB_APP_PRIVATE_KEY: must be set together with GITHUB_APP_ID/);
  });
});
