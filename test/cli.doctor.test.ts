import { afterEach, describe, expect, it } from "vitest";
import { doctorFailed, runDoctor } from "../src/cli/doctor.js";
import { dashboardValues } from "../src/cli/dashboard.js";
import { reviewPacket } from "../src/cli/review.js";
import { createOutboundFetch } from "../src/http/outbound.js";
import { buildProviders } from "../src/providers/index.js";
import { startHarness, type Harness } from "./helpers/harness.js";

let h: Harness | undefined;
const outbound = createOutboundFetch();

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("doctor", () => {
  it("passes every check against a correctly configured server", async () => {
    h = await startHarness();
    const checks = await runDoctor(h.url, h.config, outbound.fetch);
    expect(checks.filter((c) => !c.ok && !c.advisory)).toEqual([]);
    expect(checks.map((c) => c.name)).toContain("authorize sends the browser to GitHub");
    expect(doctorFailed(checks)).toBe(false);
  });

  it("fails, naming the cause, when the GitHub app is not configured or the client secret differs", async () => {
    h = await startHarness({ GITHUB_CLIENT_ID: "", GITHUB_CLIENT_SECRET: "" });
    const checks = await runDoctor(h.url, h.config, outbound.fetch);
    const authorize = checks.find((c) => c.name === "authorize sends the browser to GitHub");
    expect(authorize).toMatchObject({ ok: false, detail: expect.stringContaining("GITHUB_CLIENT_ID") });
    const wrongSecret = { ...h.config, oauth: { ...h.config.oauth, clientSecret: "not-the-deployed-secret" } };
    const again = await runDoctor(h.url, wrongSecret, outbound.fetch);
    expect(again.find((c) => c.name.startsWith("token endpoint accepts our client"))?.ok).toBe(false);
    expect(doctorFailed(again)).toBe(true);
  });

  it("reports an unreachable server as failed checks, not a crash", async () => {
    h = await startHarness();
    const checks = await runDoctor("http://127.0.0.1:9", h.config, outbound.fetch);
    expect(checks.find((c) => c.name === "GET /healthz")).toMatchObject({ ok: false, detail: expect.stringContaining("request failed") });
  });
});

describe("review packet", () => {
  it("states storage, deletion and protection, with the claimed patterns", async () => {
    h = await startHarness();
    const md = reviewPacket(h.config, dashboardValues(h.config, buildProviders(h.config, outbound.fetch)));
    expect(md).toContain(`| Unfurl Callback URL | ${h.url}/notion/unfurl |`);
    expect(md).toContain("SHA-256 hashes only");
    expect(md).toContain("A256GCM");
    expect(md).toMatch(/Deleted Token Callback URL revokes the grant/);
    expect(md).toContain("Notion requires HTTPS");
    expect(md).toMatch(/\| GitHub pull request \| `\^/);
    expect(md).not.toContain("SSRF guard");
    expect(md).not.toContain("GitHub webhooks");
  });

  it("mentions the web pages and webhooks it reads when they are configured", async () => {
    h = await startHarness({ UNFURL_DOMAINS: "docs.acme.test", GITHUB_WEBHOOK_SECRET: "s3cret" });
    const md = reviewPacket(h.config, dashboardValues(h.config, buildProviders(h.config, outbound.fetch)));
    expect(md).toContain("Pages of docs.acme.test");
    expect(md).toContain("SSRF guard");
    expect(md).toContain("GitHub webhooks (signature-checked)");
  });
});
