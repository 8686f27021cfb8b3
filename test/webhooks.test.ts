/**
 * `POST /webhooks/github` over real HTTP: signature, limits, redeliveries, and what gets queued.
 * No worker runs here: these tests look at the queue the route fills (see updates.test.ts for the
 * pushes).
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { signPayload, verifySignature } from "../src/updates/signature.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { deliver, pullRequestPayload, WEBHOOK_SECRET } from "./updates.helpers.js";

let h: Harness;

const nothingQueued = async () => expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 0, dead: 0 });
const claimAt = (now: number) => h.store.jobs.claim({ now, leaseMs: 60_000 });
const prKey = () => `github:${new URL(h.github.webUrl).host}:acme/widgets#pull/7`;

describe("the signature", () => {
  it("matches GitHub's documented test vector", () => {
    const expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(signPayload("It's a Secret to Everybody", "Hello, World!")).toBe(expected);
    expect(verifySignature("It's a Secret to Everybody", Buffer.from("Hello, World!"), expected)).toBe(true);
  });

  it("refuses a wrong secret, another body, a malformed or missing header", () => {
    const body = Buffer.from("Hello, World!");
    const good = signPayload("It's a Secret to Everybody", body);
    expect(verifySignature("another secret", body, good)).toBe(false);
    expect(verifySignature("It's a Secret to Everybody", Buffer.from("Hello, World?"), good)).toBe(false);
    for (const header of [undefined, "", good.toUpperCase(), good.slice(0, -1), `${good}0`, good.replace("sha256=", "sha1=")]) {
      expect(verifySignature("It's a Secret to Everybody", body, header)).toBe(false);
    }
  });
});

describe("POST /webhooks/github", () => {
  afterEach(async () => {
    await h.close();
  });

  it("answers 503 when no webhook secret is configured", async () => {
    h = await startHarness();
    const res = await deliver(h.url, { event: "pull_request", payload: pullRequestPayload("acme", "widgets", 7) });
    expect(res.status).toBe(503);
    await nothingQueued();
  });

  describe("with a secret", () => {
    const start = async () => {
      h = await startHarness({ GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET, REFRESH_DEBOUNCE: "3s" });
    };

    it("answers 401 to a missing or wrong signature and queues nothing", async () => {
      await start();
      const payload = pullRequestPayload("acme", "widgets", 7);
      const id = randomUUID();
      for (const signature of [null, "sha256=" + "0".repeat(64), signPayload("not the secret", JSON.stringify(payload)), "garbage"]) {
        const res = await deliver(h.url, { event: "pull_request", payload, id, signature });
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: "invalid_signature" });
      }
      await nothingQueued();
      // Not even the delivery id was recorded: the genuine delivery still goes through.
      expect((await deliver(h.url, { event: "pull_request", payload, id })).status).toBe(202);
    });

    it("queues a refresh of the resource, due after the debounce window, and answers 202", async () => {
      await start();
      const res = await deliver(h.url, { event: "pull_request", payload: pullRequestPayload("acme", "Widgets", 7) });
      expect([res.status, res.body]).toEqual([202, { status: "queued" }]);
      const now = h.clock.now();
      expect(await claimAt(now + 2_999)).toBeNull();
      expect(await claimAt(now + 3_000)).toMatchObject({ kind: "refresh", key: prKey(), grantId: "", onlyIfChanged: false });
    });

    it("acknowledges a redelivery (same X-GitHub-Delivery) without queueing again", async () => {
      await start();
      const id = randomUUID();
      const payload = pullRequestPayload("acme", "widgets", 7);
      expect((await deliver(h.url, { event: "pull_request", payload, id })).status).toBe(202);
      await claimAt(h.clock.now() + 3_000); // the first delivery's job is running
      const again = await deliver(h.url, { event: "pull_request", payload, id });
      expect([again.status, again.body]).toEqual([200, { status: "duplicate" }]);
      expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 1, dead: 0 });
    });

    it("answers ping, and ignores events it does not handle, queueing nothing", async () => {
      await start();
      const ping = await deliver(h.url, { event: "ping", payload: { zen: "Keep it logically awesome.", hook_id: 1 } });
      expect([ping.status, ping.body]).toEqual([200, { status: "pong" }]);
      const star = await deliver(h.url, { event: "star", payload: { action: "created" } });
      expect([star.status, star.body]).toEqual([200, { status: "ignored" }]);
      const created = await deliver(h.url, { event: "installation", payload: { action: "created", installation: { account: { login: "acme" } } } });
      expect([created.status, created.body]).toEqual([200, { status: "ignored" }]);
      await nothingQueued();
    });

    it("accepts the form encoding GitHub offers (payload=…)", async () => {
      await start();
      const body = new URLSearchParams({ payload: JSON.stringify(pullRequestPayload("acme", "widgets", 7)) }).toString();
      const res = await deliver(h.url, { event: "pull_request", payload: null, body, contentType: "application/x-www-form-urlencoded" });
      expect(res.status).toBe(202);
      expect(await claimAt(h.clock.now() + 3_000)).toMatchObject({ key: prKey() });
    });

    it("answers 400 to signed bodies it cannot read, and to missing GitHub headers", async () => {
      await start();
      const cases = [
        { event: "pull_request", payload: null, body: "{not json" },
        { event: "pull_request", payload: { action: "opened", pull_request: { number: 7 } } }, // no repository
        { event: "pull_request", payload: { ...pullRequestPayload("acme", "widgets", 7), pull_request: { number: -1 } } },
        { event: "pull_request", payload: pullRequestPayload("acme", "widgets", 7), id: "" },
        { event: "", payload: pullRequestPayload("acme", "widgets", 7) },
      ];
      for (const c of cases) {
        const res = await deliver(h.url, c);
        expect(res.status, JSON.stringify(c).slice(0, 80)).toBe(400);
        expect(res.body).toMatchObject({ error: "invalid_request" });
      }
      await nothingQueued();
    });

    it("answers 413 to a body over its 1 MB limit, signed or not", async () => {
      await start();
      const payload = { ...pullRequestPayload("acme", "widgets", 7), padding: "x".repeat(1024 * 1024) };
      const res = await deliver(h.url, { event: "pull_request", payload });
      expect(res.status).toBe(413);
      await nothingQueued();
      // A large but legitimate delivery still fits.
      const big = { ...pullRequestPayload("acme", "widgets", 7), padding: "x".repeat(512 * 1024) };
      expect((await deliver(h.url, { event: "pull_request", payload: big })).status).toBe(202);
    });

    it("counts deliveries by event and outcome in /metrics", async () => {
      await start();
      await deliver(h.url, { event: "pull_request", payload: pullRequestPayload("acme", "widgets", 7) });
      await deliver(h.url, { event: "pull_request", payload: pullRequestPayload("acme", "widgets", 7), signature: null });
      const text = await (await fetch(`${h.url}/metrics`)).text();
      expect(text).toContain('github_webhook_deliveries_total{event="pull_request",outcome="queued"} 1');
      expect(text).toContain('github_webhook_deliveries_total{event="pull_request",outcome="bad_signature"} 1');
      expect(text).toContain('update_jobs{state="pending"} 1');
    });
  });
});
