import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, type Env } from "../src/config.js";
import { emulateSettings, formatBanner, missingFromConfig, serverEnvironment, UsageError } from "../src/emulator/cli.js";

const TSX = path.resolve("node_modules/.bin/tsx");
const NOTION_DEFAULTS = "https://www.notion.so/externalintegrationauthcallback,https://notion.so/externalIntegrationAuthCallback";

const config = (env: Env = {}) =>
  parseConfig({
    SECRET_KEYS: Buffer.alloc(32, 5).toString("base64url"),
    OAUTH_CLIENT_ID: "dev-server-client",
    OAUTH_CLIENT_SECRET: "s".repeat(40),
    ...env,
  });
const fixed = () => ({ clientId: "emulated-notion-fixed", clientSecret: "generated-secret" });

describe("emulate settings", () => {
  it("default to port 4000, the server at PUBLIC_URL with the credentials it issued, and generated Notion credentials", () => {
    expect(emulateSettings([], config(), fixed)).toEqual({
      port: 4000,
      serverUrl: "http://localhost:3000",
      server: { clientId: "dev-server-client", clientSecret: "s".repeat(40) },
      notion: { clientId: "emulated-notion-fixed", clientSecret: "generated-secret", source: "generated" },
    });
  });

  it("take flags first, then Notion credentials the config already aims at a local emulator", () => {
    const flags = ["--port", "4100", "--server=http://127.0.0.1:3900/", "--oauth-client-id", "other-client", "--oauth-client-secret", "o".repeat(32)];
    expect(emulateSettings([...flags, "--notion-client-id", "nid", "--notion-client-secret", "nsecret"], config(), fixed)).toEqual({
      port: 4100,
      serverUrl: "http://127.0.0.1:3900",
      server: { clientId: "other-client", clientSecret: "o".repeat(32) },
      notion: { clientId: "nid", clientSecret: "nsecret", source: "flags" },
    });
    const local = config({ NOTION_API_URL: "http://localhost:4000", NOTION_CLIENT_ID: "kept-id", NOTION_CLIENT_SECRET: "kept-secret" });
    expect(emulateSettings([], local, fixed).notion).toEqual({ clientId: "kept-id", clientSecret: "kept-secret", source: "config" });
    // A real integration's secret is never reused (nor printed).
    const real = config({ NOTION_CLIENT_ID: "real-id", NOTION_CLIENT_SECRET: "real-secret" });
    expect(emulateSettings([], real, fixed).notion.source).toBe("generated");
  });

  it("refuse unknown flags, bad ports and servers, and half a credential pair", () => {
    for (const argv of [["--bogus"], ["--port", "http"], ["--port", "70000"], ["--server", "localhost:3000"], ["--notion-client-id", "x"], ["extra"]]) {
      expect(() => emulateSettings(argv, config(), fixed), argv.join(" ")).toThrow(UsageError);
    }
  });
});

describe("the environment printed for the server", () => {
  it("is exact, keeps Notion's own callback URIs, and says what the config lacks", () => {
    const env = serverEnvironment("http://localhost:4000", "http://localhost:4000/callback", fixed(), config());
    expect(env).toEqual([
      ["NOTION_API_URL", "http://localhost:4000"],
      ["NOTION_CLIENT_ID", "emulated-notion-fixed"],
      ["NOTION_CLIENT_SECRET", "generated-secret"],
      ["OAUTH_REDIRECT_URIS", `${NOTION_DEFAULTS},http://localhost:4000/callback`],
    ]);
    expect(missingFromConfig(env, config())).toEqual(["NOTION_API_URL", "NOTION_CLIENT_ID", "NOTION_CLIENT_SECRET", "OAUTH_REDIRECT_URIS"]);
    const ready = config(Object.fromEntries(env));
    expect(serverEnvironment("http://localhost:4000", "http://localhost:4000/callback", fixed(), ready)).toEqual(env);
    expect(missingFromConfig(env, ready)).toEqual([]);

    const banner = formatBanner({ emulatorUrl: "http://localhost:4000", serverUrl: "http://localhost:3000", env, missing: [], notionSource: "generated", serverStatus: "reachable" });
    for (const [k, v] of env) expect(banner.split("\n")).toContain(`${k}=${v}`);
    expect(banner).toContain(`== One line:  ${env.map(([k, v]) => `${k}=${v}`).join(" ")} npm start`);
  });
});

describe("link-preview emulate", () => {
  it("starts on 127.0.0.1, prints the server's environment and serves the Lab until interrupted", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "lp-emulate-"));
    const child = spawn(TSX, [path.resolve("src/cli/main.ts"), "emulate", "--port", "0", "--server", "http://127.0.0.1:3999"], {
      cwd,
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => void (err += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner after 20 s:\n${out}\n${err}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("npm start")) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}:\n${out}\n${err}`)));
      });
      const apiUrl = /^NOTION_API_URL=(http:\/\/localhost:(\d+))$/m.exec(out);
      expect(apiUrl, out).not.toBeNull();
      const url = apiUrl?.[1] ?? "";
      expect(out).toMatch(/^NOTION_CLIENT_ID=emulated-notion-\S+$/m);
      expect(out).toMatch(/^NOTION_CLIENT_SECRET=\S{40,}$/m);
      expect(out).toContain(`OAUTH_REDIRECT_URIS=${NOTION_DEFAULTS},${url}/callback`);
      expect(out).toContain("Server to drive: http://127.0.0.1:3999 (not reachable yet");
      const lab = await fetch(`${url}/`);
      expect(lab.status).toBe(200);
      expect(await lab.text()).toContain("Link Preview Lab");
      const token = await fetch(`${url}/v1/oauth/token`, { method: "POST" });
      expect(token.status).toBe(401);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    }
  });
});
