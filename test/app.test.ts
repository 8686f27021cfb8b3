import { Writable } from "node:stream";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import type { Provider } from "../src/providers/types.js";
import { randomToken, sha256 } from "../src/secrets/tokens.js";
import { openSqliteStore } from "../src/store/sqlite/store.js";
import type { Store } from "../src/store/types.js";
import { manualClock } from "./helpers/harness.js";

const config = parseConfig({
  NODE_ENV: "test",
  SECRET_KEYS: Buffer.alloc(32, 1).toString("base64url"),
  OAUTH_CLIENT_ID: "client-123",
  OAUTH_CLIENT_SECRET: "c".repeat(40),
});

let store: Store;
let logs: string[];

function build(providers: Provider[] = []) {
  logs = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  return createApp({
    config,
    store,
    clock: manualClock(),
    fetch: () => Promise.reject(new Error("no network in this test")),
    logger: createLogger("info", sink),
    providers,
    upstreamLogin: null,
  });
}

beforeEach(() => {
  store = openSqliteStore(":memory:");
});
afterEach(async () => {
  await store.close().catch(() => undefined);
});

describe("the app shell", () => {
  it("answers /healthz and /readyz, and /readyz turns 503 when the store is gone", async () => {
    const app = build();
    expect((await request(app).get("/healthz")).body).toEqual({ status: "ok" });
    expect((await request(app).get("/readyz")).status).toBe(200);
    await store.close();
    const down = await request(app).get("/readyz");
    expect(down.status).toBe(503);
    expect(JSON.stringify(down.body)).not.toMatch(/Error|at /);
  });

  it("exposes Prometheus metrics: default ones, request duration by route, unfurl outcomes", async () => {
    const app = build();
    await request(app).get("/healthz");
    await request(app).post("/notion/unfurl").send({ uri: "https://x.test" });
    const res = await request(app).get("/metrics");
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.text).toContain("process_cpu_user_seconds_total");
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/notion\/unfurl",status="401"\} 1/);
    expect(res.text).toContain("# TYPE unfurl_outcomes_total counter");
  });

  it("protects /metrics with METRICS_TOKEN when it is set", async () => {
    const guarded = createApp({
      config: { ...config, metricsToken: "m".repeat(20) },
      store,
      clock: manualClock(),
      fetch: () => Promise.reject(new Error("no network in this test")),
      logger: createLogger("silent"),
      providers: [],
      upstreamLogin: null,
    });
    const anonymous = await request(guarded).get("/metrics");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect((await request(guarded).get("/metrics").set("Authorization", "Bearer wrong")).status).toBe(401);
    const allowed = await request(guarded).get("/metrics").set("Authorization", `Bearer ${"m".repeat(20)}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain("process_cpu_user_seconds_total");
  });

  it("hides X-Powered-By, echoes a sane request id and mints one otherwise", async () => {
    const app = build();
    const res = await request(app).get("/healthz").set("X-Request-Id", "abc-123");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-request-id"]).toBe("abc-123");
    const minted = await request(app).get("/healthz").set("X-Request-Id", "bad id with spaces");
    expect(minted.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown routes with JSON 404", async () => {
    const res = await request(build()).get("/nope");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: "not_found" });
  });

  it("turns an unexpected failure into an error operation without details, and logs it", async () => {
    const exploding: Provider = {
      name: "exploding",
      dashboardRules: () => [],
      match: (url) => (url.hostname === "boom.test" ? { kind: "x", params: {}, resourceKey: "boom" } : null),
      unfurl: () => Promise.reject(new Error("secret internal detail")),
    };
    const app = build([exploding]);
    const { CLIENT_TOKEN } = await seedAccessToken();
    const res = await request(app).post("/notion/unfurl").set("Authorization", `Bearer ${CLIENT_TOKEN}`).send({ uri: "https://boom.test/1" });
    expect(res.status).toBe(200);
    expect(res.body.operations[0]).toEqual({ path: ["error"], set: { status: 500, message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain("secret internal detail");
    expect(logs.join("")).toContain("secret internal detail");
  });

  it("redacts credentials from logs: Authorization, cookies, codes and states in URLs", async () => {
    const app = build();
    await request(app).get("/notion/authorize?client_id=x&code=SECRETCODE&state=SECRETSTATE").set("Cookie", "lp_authz=SECRETCOOKIE");
    await request(app).post("/notion/unfurl").set("Authorization", "Bearer SECRETBEARER").send({ uri: "https://x.test" });
    await request(app).post("/notion/token").type("form").send({ grant_type: "authorization_code", code: "SECRETCODE2", client_secret: "SECRETCLIENT" });
    const all = logs.join("");
    for (const secret of ["SECRETCODE", "SECRETSTATE", "SECRETCOOKIE", "SECRETBEARER", "SECRETCODE2", "SECRETCLIENT"]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain("/notion/authorize");
  });
});

/** A grant and a valid access token straight in the store (the OAuth dance has its own tests). */
async function seedAccessToken() {
  const account = await store.upsertAccount({ provider: "github", externalId: "1", login: "octo", avatarUrl: null }, 0);
  await store.createGrant(
    {
      id: "g1",
      accountId: account.id,
      clientId: "client-123",
      notionWorkspaceId: null,
      notionWorkspaceName: null,
      notionBotId: null,
      upstreamTokenSealed: "x",
      notionTokenSealed: "x",
    },
    0,
  );
  const CLIENT_TOKEN = randomToken();
  await store.insertTokens([{ hash: sha256(CLIENT_TOKEN), grantId: "g1", kind: "access", expiresAt: Date.now() + 3600_000 }], 0);
  return { CLIENT_TOKEN };
}
