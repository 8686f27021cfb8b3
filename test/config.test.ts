import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../src/config.js";
import { parseSecretKeys } from "../src/secrets/keys.js";

const KEY = Buffer.alloc(32, 7).toString("base64url");
const base = { SECRET_KEYS: KEY, OAUTH_CLIENT_ID: "client-123", OAUTH_CLIENT_SECRET: "s".repeat(40) };

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("config", () => {
  it("applies the contract's defaults", () => {
    const c = parseConfig(base);
    expect(c.port).toBe(3000);
    expect(c.host).toBe("0.0.0.0");
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.databaseUrl).toBe("sqlite:./data/unfurl.db");
    expect(c.developerName).toBe("Link Preview");
    expect(c.oauth.redirectUris).toEqual([
      "https://www.notion.so/externalintegrationauthcallback",
      "https://notion.so/externalIntegrationAuthCallback",
    ]);
    expect(c.oauth.accessTokenTtl).toBe(3600);
    expect(c.notion.apiUrl).toBe("https://api.notion.com");
    expect(c.github).toMatchObject({
      webUrl: "https://github.com",
      apiUrl: "https://api.github.com",
      graphqlUrl: "https://api.github.com/graphql",
    });
    expect(c.unfurl.fetchAllowPrivate).toBe(false);
    expect(Object.isFrozen(c) && Object.isFrozen(c.oauth)).toBe(true);
  });

  it("derives GitHub Enterprise Server API URLs from GITHUB_URL", () => {
    const c = parseConfig({ ...base, GITHUB_URL: "https://ghe.acme.test/" });
    expect(c.github.webUrl).toBe("https://ghe.acme.test");
    expect(c.github.apiUrl).toBe("https://ghe.acme.test/api/v3");
    expect(c.github.graphqlUrl).toBe("https://ghe.acme.test/api/graphql");
  });

  it("parses durations and lists", () => {
    const c = parseConfig({ ...base, ACCESS_TOKEN_TTL: "30m", UNFURL_DOMAINS: "acme.com, *.acme.dev", PORT: "8080" });
    expect(c.oauth.accessTokenTtl).toBe(1800);
    expect(c.unfurl.domains).toEqual(["acme.com", "*.acme.dev"]);
    expect(c.publicUrl).toBe("http://localhost:8080");
  });

  it("treats empty variables as unset", () => {
    const c = parseConfig({ ...base, GITHUB_CLIENT_ID: "", GITHUB_CLIENT_SECRET: " ", PORT: "" });
    expect(c.github.clientId).toBeUndefined();
    expect(c.port).toBe(3000);
  });

  it("reports every problem at once", () => {
    const p = problems({ ...base, PORT: "x", NOTION_API_URL: "ftp://x", ACCESS_TOKEN_TTL: "soon", FETCH_ALLOW_PRIVATE: "maybe" });
    expect(p).toHaveLength(4);
    expect(p.join("\n")).toMatch(/PORT/);
    expect(p.join("\n")).toMatch(/NOTION_API_URL/);
    expect(p.join("\n")).toMatch(/ACCESS_TOKEN_TTL/);
    expect(p.join("\n")).toMatch(/FETCH_ALLOW_PRIVATE/);
  });

  it("in production names each missing secret and refuses FETCH_ALLOW_PRIVATE", () => {
    const p = problems({ NODE_ENV: "production", FETCH_ALLOW_PRIVATE: "true" });
    for (const name of [
      "PUBLIC_URL",
      "SECRET_KEYS",
      "OAUTH_CLIENT_ID",
      "OAUTH_CLIENT_SECRET",
      "NOTION_CLIENT_ID",
      "NOTION_CLIENT_SECRET",
      "GITHUB_CLIENT_ID",
      "GITHUB_CLIENT_SECRET",
      "FETCH_ALLOW_PRIVATE",
    ]) {
      expect(p.some((x) => x.startsWith(`${name}:`)), name).toBe(true);
    }
  });

  it("requires client id and secret pairs together", () => {
    expect(problems({ ...base, GITHUB_CLIENT_ID: "abc" })).toEqual([
      "GITHUB_CLIENT_SECRET: must be set together with GITHUB_CLIENT_ID",
    ]);
  });

  it("rejects malformed secret keys", () => {
    expect(() => parseSecretKeys("short")).toThrow(/32/);
    expect(() => parseSecretKeys("not base64!")).toThrow(/base64url/);
    const keys = parseSecretKeys(`${KEY},${Buffer.alloc(32, 9).toString("base64url")}`);
    expect(keys).toHaveLength(2);
    expect(keys[0]?.id).not.toBe(keys[1]?.id);
  });

  it("generates development defaults once, under ./data, readable only by the owner", () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "lp-config-"));
    const first = loadConfig({ env: {}, cwd });
    expect(first.warnings.join("\n")).toMatch(/generated/);
    expect(first.warnings.join("\n")).toContain(first.config.oauth.clientSecret);
    const second = loadConfig({ env: {}, cwd });
    expect(second.config.oauth.clientId).toBe(first.config.oauth.clientId);
    expect(second.config.secretKeys[0]?.id).toBe(first.config.secretKeys[0]?.id);
    // The secret is printed only when generated.
    expect(second.warnings.join("\n")).not.toContain(first.config.oauth.clientSecret);
    const keyFile = path.join(cwd, "data", "secret.key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, "utf8").trim()).toHaveLength(43);
  });

  it("never generates anything in production", () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "lp-config-"));
    expect(() => loadConfig({ env: { NODE_ENV: "production" }, cwd })).toThrow(ConfigError);
  });
});
