import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { buildProviders } from "../src/providers/index.js";

const base = {
  NODE_ENV: "test",
  SECRET_KEYS: Buffer.alloc(32, 7).toString("base64url"),
  OAUTH_CLIENT_ID: "notion-connector",
  OAUTH_CLIENT_SECRET: "x".repeat(40),
};
const offline = () => Promise.reject(new Error("offline"));

describe("configuration of the web provider", () => {
  it("defaults to no claimed domains, ports 80 and 443, and no web provider", () => {
    const config = parseConfig(base);
    expect(config.unfurl).toMatchObject({ domains: [], fetchAllowPrivate: false, fetchAllowedPorts: [80, 443] });
    expect(buildProviders(config, offline).map((p) => p.name)).toEqual(["github"]);
  });

  it("adds the web provider after GitHub, with one dashboard rule per domain", () => {
    const config = parseConfig({ ...base, UNFURL_DOMAINS: "docs.acme.com, *.acme.dev", FETCH_ALLOWED_PORTS: "443,8443" });
    expect(config.unfurl.fetchAllowedPorts).toEqual([443, 8443]);
    const providers = buildProviders(config, offline);
    expect(providers.map((p) => p.name)).toEqual(["github", "web"]);
    expect(providers[1]?.dashboardRules().map((r) => r.name)).toEqual(["Web pages on docs.acme.com", "Web pages on *.acme.dev"]);
  });

  it("refuses URLs or paths as domains, bad ports, and FETCH_ALLOW_PRIVATE in production", () => {
    expect(() => parseConfig({ ...base, UNFURL_DOMAINS: "https://acme.com" })).toThrow(/UNFURL_DOMAINS/);
    expect(() => parseConfig({ ...base, UNFURL_DOMAINS: "acme.com/docs" })).toThrow(/UNFURL_DOMAINS/);
    expect(() => parseConfig({ ...base, FETCH_ALLOWED_PORTS: "80,http" })).toThrow(/FETCH_ALLOWED_PORTS/);
    expect(() => parseConfig({ ...base, FETCH_ALLOWED_PORTS: "70000" })).toThrow(/FETCH_ALLOWED_PORTS/);
    expect(() => parseConfig({ ...base, NODE_ENV: "production", FETCH_ALLOW_PRIVATE: "true" })).toThrow(/FETCH_ALLOW_PRIVATE: refused/);
  });
});
