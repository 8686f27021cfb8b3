import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardValues, formatDashboard } from "../src/cli/dashboard.js";
import { parseConfig } from "../src/config.js";
import { buildProviders } from "../src/providers/index.js";

const TSX = path.resolve("node_modules/.bin/tsx");

describe("dashboard values", () => {
  it("are built from PUBLIC_URL, the issued credentials and the providers' rules", () => {
    const config = parseConfig({
      PUBLIC_URL: "https://unfurl.acme.com",
      SECRET_KEYS: Buffer.alloc(32, 3).toString("base64url"),
      OAUTH_CLIENT_ID: "acme-notion",
      OAUTH_CLIENT_SECRET: "s".repeat(40),
      GITHUB_URL: "https://ghe.corp.acme.co.uk",
      UNFURL_DOMAINS: "*.docs.acme.com",
    });
    const v = dashboardValues(config, buildProviders(config, () => Promise.reject(new Error("offline"))));
    expect(v).toMatchObject({
      oauthAuthorizeUrl: "https://unfurl.acme.com/notion/authorize",
      oauthTokenUrl: "https://unfurl.acme.com/notion/token",
      oauthClientId: "acme-notion",
      deletedTokenCallbackUrl: "https://unfurl.acme.com/notion/deleted",
      unfurlCallbackUrl: "https://unfurl.acme.com/notion/unfurl",
      unfurlDomains: ["acme.co.uk", "acme.com"],
      githubCallbackUrl: "https://unfurl.acme.com/auth/github/callback",
    });
    expect(v.urlRules.length).toBeGreaterThan(0);
    for (const rule of v.urlRules) {
      const re = new RegExp(rule.pattern);
      for (const sample of rule.samples) expect(re.test(sample), sample).toBe(true);
    }
    expect(formatDashboard(v)).toContain("Unfurl Callback URL         https://unfurl.acme.com/notion/unfurl");
  });
});

describe("process start", () => {
  it("in production, refuses to start and names every missing secret", () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "lp-prod-"));
    const run = spawnSync(TSX, [path.resolve("src/server.ts")], {
      cwd,
      env: { PATH: process.env.PATH, NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    for (const name of ["PUBLIC_URL", "SECRET_KEYS", "OAUTH_CLIENT_SECRET", "NOTION_CLIENT_ID", "GITHUB_CLIENT_SECRET"]) {
      expect(run.stderr).toContain(`${name}: required when NODE_ENV=production`);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("the CLI prints its usage and refuses unknown commands", () => {
    const help = spawnSync(TSX, [path.resolve("src/cli/main.ts"), "help"], { encoding: "utf8", timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("config");
    const unknown = spawnSync(TSX, [path.resolve("src/cli/main.ts"), "frobnicate"], { encoding: "utf8", timeout: 30_000 });
    expect(unknown.status).toBe(2);
  });
});
