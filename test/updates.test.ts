/**
 * Live previews end to end, over real HTTP: signed GitHub webhooks into the server, the job worker
 * re-reading the fake GitHub with each user's own token, and PATCHes arriving at the fake Notion.
 * The clock is moved by hand past the debounce window and Retry-After waits; `worker.idle()` says
 * when everything due has run, so no test waits on wall-clock time.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateAttributes } from "../src/notion/validate.js";
import { startUpdates, type Updates } from "../src/updates/index.js";
import type { Env } from "../src/config.js";
import { startHarness, type Harness } from "./helpers/harness.js";
import { unfurl } from "./helpers/notionDance.js";
import {
  deliver,
  gitHubTokenOf,
  inlineValue,
  operationOf,
  previewedByTwo,
  pullRequestPayload,
  repositoryPayload,
  WEBHOOK_SECRET,
  type World,
} from "./updates.helpers.js";

const DEBOUNCE_MS = 2_000;

let h: Harness;
let updates: Updates;
let world: World;

async function start(env: Env = {}) {
  h = await startHarness({ GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET, REFRESH_DEBOUNCE: "2s", ...env });
  world = await previewedByTwo(h);
  updates = startUpdates({ ...h, services: h.services }, { pollMs: 20 });
}

afterEach(async () => {
  await updates.stop();
  await h.close();
});

/** Past the debounce window, then until everything due has run. */
async function settle(ms = DEBOUNCE_MS) {
  h.clock.advance(ms);
  await updates.worker.idle();
}

const patchesOf = (notionToken: string) => h.notion.patches.filter((p) => p.token === notionToken);
const mergedEvent = () => ({ event: "pull_request", payload: pullRequestPayload("acme", "widgets", 1, "closed") });

describe("live previews", () => {
  beforeEach(() => start());

  it("pushes the complete new attribute set to each tracking user after a merge", async () => {
    h.github.updatePullRequest("acme", "widgets", 1, { state: "MERGED" });
    const ack = await deliver(h.url, mergedEvent());
    expect([ack.status, ack.body]).toEqual([202, { status: "queued" }]);
    // Nothing is pushed inside the debounce window.
    await updates.worker.idle();
    expect(h.notion.patches).toHaveLength(0);

    await settle();
    for (const user of [world.octocat, world.hubot]) {
      const [patch, ...more] = patchesOf(user.notionToken);
      expect(more).toHaveLength(0);
      expect(patch).toMatchObject({ status: 200, notionVersion: "2021-08-16", body: { uri: world.prUrl } });
      const op = operationOf(patch?.body);
      expect(op.path).toEqual(["attributes"]);
      expect(validateAttributes(op.set).ok).toBe(true);
      expect(inlineValue(op.set, "title")).toBe("Speed up widgets");
      expect(inlineValue(op.set, "state")).toBe("Merged");
      expect(inlineValue(op.set, "dev")).toBe("Acme Corp");
    }
    expect(h.notion.patches).toHaveLength(2);
  });

  it("reads with each user's own GitHub token", async () => {
    await deliver(h.url, mergedEvent());
    const before = h.github.requests.length;
    await settle();
    const reads = h.github.requests.slice(before).filter((r) => r.path === "/api/graphql");
    const used = reads.map((r) => r.headers.authorization).sort();
    const expected = [`Bearer ${await gitHubTokenOf(h, world.octocat.grant)}`, `Bearer ${await gitHubTokenOf(h, world.hubot.grant)}`];
    expect(used).toEqual(expected.sort());
  });

  it("lets a Notion revisit see what was pushed, without reading GitHub again", async () => {
    h.github.updatePullRequest("acme", "widgets", 1, { state: "MERGED" });
    await deliver(h.url, mergedEvent());
    await settle();
    const reads = h.github.requests.length;
    const revisit = await unfurl(h, world.octocat.tokens.access_token, { uri: world.prUrl });
    expect(inlineValue(operationOf(revisit.body).set, "state")).toBe("Merged");
    expect(h.github.requests.length).toBe(reads);
  });

  it("coalesces a burst of events about one pull request into one push per user", async () => {
    const events = ["pull_request", "pull_request_review", "issue_comment", "check_suite", "check_run"];
    const payload = {
      ...pullRequestPayload("acme", "widgets", 1, "synchronize"),
      review: { id: 1, state: "approved" },
      issue: { number: 1, pull_request: { url: "https://api.github.com/repos/acme/widgets/pulls/1" } },
      check_suite: { head_sha: "a".repeat(40), pull_requests: [{ number: 1 }] },
      check_run: { head_sha: "a".repeat(40), pull_requests: [{ number: 1 }] },
    };
    for (const event of events) expect((await deliver(h.url, { event, payload })).status).toBe(202);
    await settle();
    expect(patchesOf(world.octocat.notionToken)).toHaveLength(1);
    expect(patchesOf(world.hubot.notionToken)).toHaveLength(1);
  });

  it("acknowledges a redelivery without processing it twice", async () => {
    const id = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    expect((await deliver(h.url, { ...mergedEvent(), id })).status).toBe(202);
    await settle();
    const again = await deliver(h.url, { ...mergedEvent(), id });
    expect([again.status, again.body]).toEqual([200, { status: "duplicate" }]);
    await settle();
    expect(h.notion.patches).toHaveLength(2);
    expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 0, dead: 0 });
  });

  it("honours a 429's Retry-After: the push waits, then happens, and is never dropped", async () => {
    h.notion.queuePatchResponse({
      status: 429,
      headers: { "retry-after": "30" },
      body: { object: "error", status: 429, code: "rate_limited", message: "You have been rate limited." },
    });
    await deliver(h.url, mergedEvent());
    await settle();
    const limited = h.notion.patches.find((p) => p.status === 429);
    expect(limited).toBeDefined();
    expect(h.notion.patches.filter((p) => p.token === limited?.token)).toHaveLength(1);
    expect(await h.store.jobs.counts()).toMatchObject({ pending: 1, dead: 0 });

    await settle(29_000); // not yet
    expect(h.notion.patches.filter((p) => p.token === limited?.token)).toHaveLength(1);
    await settle(1_000);
    expect(h.notion.patches.filter((p) => p.token === limited?.token).map((p) => p.status)).toEqual([429, 200]);
    expect(h.notion.patches).toHaveLength(3);
    expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 0, dead: 0 });
  });

  it("waits out a used-up GitHub rate limit without counting it as a failure", async () => {
    h.github.setFailure("rate_limited");
    await deliver(h.url, mergedEvent());
    await settle();
    expect(h.notion.patches).toHaveLength(0);
    expect(await h.store.jobs.counts()).toEqual({ pending: 2, leased: 0, dead: 0 });
    h.github.setFailure(null);
    // The fake's limit resets in 30 minutes, and the provider remembers it until then.
    await settle(31 * 60_000);
    expect(h.notion.patches.map((p) => p.status)).toEqual([200, 200]);
    expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 0, dead: 0 });
  });

  it("shows a user who lost access an error operation, never another user's data", async () => {
    // hubot previewed the pull request while he could see it; now he is no longer a collaborator
    // (the fake's world is set up again without him, and the pull request with it).
    h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat"] });
    h.github.addPullRequest("acme", "widgets", { number: 1, title: "Speed up widgets", state: "MERGED" });
    await deliver(h.url, mergedEvent());
    await settle();

    const [octo] = patchesOf(world.octocat.notionToken);
    expect(inlineValue(operationOf(octo?.body).set, "state")).toBe("Merged");
    const [hubot] = patchesOf(world.hubot.notionToken);
    expect(hubot?.status).toBe(200);
    expect(operationOf(hubot?.body)).toEqual({ path: ["error"], set: { status: 404, message: expect.any(String) } });
    expect(JSON.stringify(hubot?.body)).not.toContain("Speed up widgets");
  });

  it("revokes the grant of a user whose GitHub token was revoked, and pushes nothing for it", async () => {
    h.github.revokeToken(await gitHubTokenOf(h, world.hubot.grant));
    await deliver(h.url, mergedEvent());
    await settle();
    expect(patchesOf(world.hubot.notionToken)).toHaveLength(0);
    expect(patchesOf(world.octocat.notionToken)).toHaveLength(1);
    expect(await h.store.getGrant(world.hubot.grant.id)).toBeNull();
    expect((await unfurl(h, world.hubot.tokens.access_token, { uri: world.prUrl })).status).toBe(401);
  });

  it("stops tracking a grant whose Notion token Notion refuses (401)", async () => {
    h.notion.revokeToken(world.hubot.notionToken);
    await deliver(h.url, mergedEvent());
    await settle();
    expect(patchesOf(world.hubot.notionToken).map((p) => p.status)).toEqual([401]);
    expect(await h.store.listTrackedUris(world.hubot.grant.id)).toEqual([]);
    expect(await h.store.listTrackedUris(world.octocat.grant.id)).toHaveLength(1);
    expect(await h.store.getGrant(world.hubot.grant.id)).not.toBeNull();
    // Later events no longer try hubot's connection.
    await deliver(h.url, mergedEvent());
    await settle();
    expect(patchesOf(world.hubot.notionToken)).toHaveLength(1);
    expect(patchesOf(world.octocat.notionToken)).toHaveLength(2);
  });

  it("stops tracking a preview deleted in Notion: no push for it afterwards", async () => {
    await unfurl(h, world.hubot.tokens.access_token, { uri: world.prUrl }, "DELETE");
    await deliver(h.url, mergedEvent());
    await settle();
    expect(patchesOf(world.hubot.notionToken)).toHaveLength(0);
    expect(patchesOf(world.octocat.notionToken)).toHaveLength(1);
  });

  it("refreshes every tracked pull request of a repository on a commit status", async () => {
    const status = await deliver(h.url, {
      event: "status",
      payload: { sha: "b".repeat(40), state: "success", context: "ci/jenkins", repository: repositoryPayload("acme", "widgets") },
    });
    expect(status.status).toBe(202);
    await settle();
    expect(h.notion.patches.map((p) => (p.body as { uri: string }).uri)).toEqual([world.prUrl, world.prUrl]);
  });

  it("revokes every grant of a user who revoked the GitHub App's authorization", async () => {
    const res = await deliver(h.url, {
      event: "github_app_authorization",
      payload: { action: "revoked", sender: { login: "hubot", id: 2002, type: "User" } },
    });
    expect(res.status).toBe(202);
    await updates.worker.idle(); // revocations do not wait for a debounce
    expect(await h.store.getGrant(world.hubot.grant.id)).toBeNull();
    expect(await h.store.getGrant(world.octocat.grant.id)).not.toBeNull();
    expect((await unfurl(h, world.hubot.tokens.access_token, { uri: world.prUrl })).status).toBe(401);
  });

  it("buries a refresh that keeps failing as a dead letter, after backing off", async () => {
    await updates.stop();
    updates = startUpdates({ ...h, services: h.services }, { pollMs: 20, maxAttempts: 2 });
    h.github.setFailure("down");
    await deliver(h.url, mergedEvent());
    await settle();
    expect(await h.store.jobs.counts()).toEqual({ pending: 2, leased: 0, dead: 0 });
    await settle(15 * 60_000); // past any backoff
    expect(await h.store.jobs.counts()).toEqual({ pending: 0, leased: 0, dead: 2 });
    const dead = await h.store.jobs.listDead(10);
    expect(dead.map((j) => [j.kind, j.key, j.attempts])).toEqual([
      ["push", world.prUrl, 2],
      ["push", world.prUrl, 2],
    ]);
    expect(dead[0]?.lastError).toMatch(/upstream 5\d\d/);
    expect(h.notion.patches).toHaveLength(0);
  });
});

describe("the poller (no webhooks)", () => {
  beforeEach(() => start({ REFRESH_INTERVAL: "1h" }));

  it("re-reads tracked previews and pushes only what changed since the last push", async () => {
    const poller = updates.poller;
    if (!poller) throw new Error("REFRESH_INTERVAL should start the poller");
    expect(await poller.tick()).toBe(1);
    await updates.worker.idle();
    expect(h.notion.patches).toHaveLength(2); // never pushed before

    await poller.tick();
    await updates.worker.idle();
    expect(h.notion.patches).toHaveLength(2); // unchanged: nothing pushed

    h.github.updatePullRequest("acme", "widgets", 1, { title: "Speed up widgets, again" });
    await poller.tick();
    await updates.worker.idle();
    expect(h.notion.patches).toHaveLength(4);
    expect(inlineValue(operationOf(h.notion.patches[3]?.body).set, "title")).toBe("Speed up widgets, again");
  });
});
