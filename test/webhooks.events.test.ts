/** Which previews each GitHub event refreshes: a pure function of the event and its payload. */
import { describe, expect, it } from "vitest";
import { GITHUB_KINDS } from "../src/providers/github/kinds.js";
import { compileKinds } from "../src/providers/github/linkKind.js";
import { gitHubSite } from "../src/providers/github/urls.js";
import { HANDLED_EVENTS, PayloadError, planDelivery } from "../src/updates/events.js";

const HOST = "github.com";
const repository = { name: "Widgets", full_name: "Acme/Widgets", owner: { login: "Acme" } };
const key = (suffix: string) => `github:${HOST}:acme/widgets${suffix}`;
const SHA = "0123456789abcdef0123456789abcdef01234567";
/** Commits are keyed by the first 7 hex characters of their sha (the shortest a link may spell). */
const COMMIT = key("#commit/0123456");
const plan = (event: string, payload: unknown) => planDelivery(event, payload, HOST);

describe("planDelivery", () => {
  it("maps each subscribed event to the resource keys it may change", () => {
    const cases: [string, unknown, string[]][] = [
      ["pull_request", { action: "closed", pull_request: { number: 7 }, repository }, [key("#pull/7")]],
      ["pull_request_review", { action: "submitted", pull_request: { number: 7 }, repository }, [key("#pull/7")]],
      ["check_suite", { check_suite: { head_sha: SHA, pull_requests: [{ number: 7 }, { number: 8 }] }, repository }, [key("#pull/7"), key("#pull/8"), COMMIT]],
      ["check_run", { check_run: { head_sha: SHA.toUpperCase(), pull_requests: [] }, repository }, [COMMIT]],
      ["status", { sha: SHA, state: "failure", repository }, [COMMIT, key("#pull/*")]],
      ["issues", { action: "closed", issue: { number: 3 }, repository }, [key("#issue/3")]],
      ["issue_comment", { issue: { number: 3 }, repository }, [key("#issue/3")]],
      ["issue_comment", { issue: { number: 7, pull_request: { url: "u" } }, repository }, [key("#pull/7")]],
      ["release", { action: "published", release: { tag_name: "v1.2.0-RC" }, repository }, [key("#release/v1.2.0-RC")]],
      ["discussion", { discussion: { number: 5 }, repository }, [key("#discussion/5")]],
      ["discussion_comment", { discussion: { number: 5 }, repository }, [key("#discussion/5")]],
      ["workflow_run", { workflow_run: { id: 99, head_sha: SHA, pull_requests: [{ number: 7 }] }, repository }, [key("#run/99"), key("#pull/7"), COMMIT]],
      ["installation", { action: "deleted", installation: { account: { login: "Acme" } } }, [`github:${HOST}:@acme`, `github:${HOST}:acme/*`]],
      ["installation_repositories", { repositories_removed: [{ full_name: "Acme/Widgets" }] }, [key(""), key("#*")]],
    ];
    for (const [event, payload, keys] of cases) {
      expect(plan(event, payload), event).toEqual({ refresh: keys, revokeAccounts: [] });
    }
  });

  it("revokes on github_app_authorization revoked, by the sender's GitHub id", () => {
    expect(plan("github_app_authorization", { action: "revoked", sender: { id: 2002, login: "hubot" } })).toEqual({
      refresh: [],
      revokeAccounts: ["2002"],
    });
  });

  it("plans nothing for actions that change no preview, and null for events it does not handle", () => {
    expect(plan("installation", { action: "created", installation: { account: { login: "acme" } } })).toEqual({ refresh: [], revokeAccounts: [] });
    const enterprise = { action: "deleted", installation: { account: { slug: "acme-corp", name: "Acme" } } };
    expect(plan("installation", enterprise)).toEqual({ refresh: [], revokeAccounts: [] });
    expect(plan("star", { action: "created", repository })).toBeNull();
    expect(plan("__proto__", {})).toBeNull();
    expect(HANDLED_EVENTS).toContain("pull_request");
  });

  it("deduplicates keys", () => {
    const payload = { check_suite: { head_sha: SHA, pull_requests: [{ number: 7 }, { number: 7 }] }, repository };
    expect(plan("check_suite", payload)?.refresh).toEqual([key("#pull/7"), COMMIT]);
  });

  it("reaches a commit linked by a short sha from the full sha of a status or check_run", () => {
    const links = compileKinds(gitHubSite(`https://${HOST}`), GITHUB_KINDS);
    const keyOf = (href: string) => links.match(new URL(href))?.match.resourceKey;
    const short = keyOf(`https://${HOST}/Acme/Widgets/commit/${SHA.slice(0, 7)}`);
    expect(short).toBe(COMMIT);
    expect(keyOf(`https://${HOST}/acme/widgets/pull/7/commits/${SHA.slice(0, 12).toUpperCase()}`)).toBe(short);
    expect(keyOf(`https://${HOST}/acme/widgets/commit/${SHA}`)).toBe(short);
    expect(plan("status", { sha: SHA, state: "success", repository })?.refresh).toContain(short);
    expect(plan("check_run", { check_run: { head_sha: SHA, pull_requests: [] }, repository })?.refresh).toContain(short);
  });

  it("throws PayloadError for a payload it cannot read", () => {
    for (const [event, payload] of [
      ["pull_request", { pull_request: { number: 7 } }],
      ["pull_request", { pull_request: { number: "7" }, repository }],
      ["status", { sha: "not a sha", repository }],
      ["github_app_authorization", { action: "revoked" }],
      ["issues", null],
    ] as const) {
      expect(() => plan(event, payload), event).toThrow(PayloadError);
    }
  });
});
