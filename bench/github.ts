/**
 * `npm run bench:github`: what previews cost GitHub. For each link kind, the upstream requests and
 * rate-limit points of one cold preview; then a Notion page of 50 previews (every kind, in turn)
 * revisited: within the GraphQL reuse window (10 s), and after it. Figures only, never asserted.
 *
 * Runs the GitHub provider against the fake GitHub (GHES-shaped, over real HTTP; a `304` costs no
 * points there, as on GitHub). Time is a hand-moved clock, so the windows are exact.
 */
import { fetch } from "undici";
import type { Clock } from "../src/clock.js";
import { assertValidAttributes } from "../src/notion/validate.js";
import { createGitHubProvider } from "../src/providers/github/index.js";
import type { Provider, UnfurlContext } from "../src/providers/types.js";
import { type FakeGitHub, startFakeGitHub } from "../test/fakes/github.js";

const PAGE_SIZE = 50;
/** The unfurl service's own per-account cache (UNFURL_CACHE_TTL default): revisits sooner cost nothing at all. */
const PREVIEW_CACHE_MS = 60_000;

function handClock(): Clock & { advance(ms: number): void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

type Maker = [kind: string, make: (i: number) => string];

/** One maker per link kind: each call creates a new object on the fake GitHub and returns its link. */
function makers(gh: FakeGitHub): Maker[] {
  const web = gh.webUrl;
  const repo = (i: number) => {
    const name = `widgets-${i}`;
    gh.addRepository({ owner: "octo", name, description: "Widgets.", language: "TypeScript", stars: 42 });
    return name;
  };
  return [
    ["pull request", (i) => `${web}/octo/${repo(i)}/pull/${gh.addPullRequest("octo", `widgets-${i}`, {}).number}`],
    ["pull request comment", (i) => {
      const name = repo(i);
      const pr = gh.addPullRequest("octo", name, {});
      return `${web}/octo/${name}/pull/${pr.number}#issuecomment-${gh.addComment("octo", name, { kind: "issue", number: pr.number }).id}`;
    }],
    ["issue", (i) => `${web}/octo/${repo(i)}/issues/${gh.addIssue("octo", `widgets-${i}`, {}).number}`],
    ["discussion", (i) => `${web}/octo/${repo(i)}/discussions/${gh.addDiscussion("octo", `widgets-${i}`, {}).number}`],
    ["commit", (i) => `${web}/octo/${repo(i)}/commit/${gh.addCommit("octo", `widgets-${i}`, { statuses: [{ context: "ci", state: "success" }] }).sha}`],
    ["file (#L1)", (i) => {
      const name = repo(i);
      gh.addFile("octo", name, "main", "src/a.ts", "export const a = 1;\n");
      return `${web}/octo/${name}/blob/main/src/a.ts#L1`;
    }],
    ["tree", (i) => {
      const name = repo(i);
      gh.addFile("octo", name, "main", "src/a.ts", "export const a = 1;\n");
      return `${web}/octo/${name}/tree/main/src`;
    }],
    ["release (latest)", (i) => `${web}/octo/${repo(i)}/releases/tag/${gh.addRelease("octo", `widgets-${i}`, {}).tagName}`],
    ["release (pre-release)", (i) => `${web}/octo/${repo(i)}/releases/tag/${gh.addRelease("octo", `widgets-${i}`, { tagName: "v2.0.0-rc.1", prerelease: true }).tagName}`],
    ["workflow run", (i) => `${web}/octo/${repo(i)}/actions/runs/${gh.addWorkflowRun("octo", `widgets-${i}`, {}).run.id}`],
    ["workflow job", (i) => {
      const name = repo(i);
      const { run, jobs } = gh.addWorkflowRun("octo", name, {});
      return `${web}/octo/${name}/actions/runs/${run.id}/job/${jobs[0]?.id}`;
    }],
    ["repository", (i) => `${web}/octo/${repo(i)}`],
    ["user profile", (i) => {
      gh.addUser({ id: 10_000 + i, login: `user-${i}` });
      return `${web}/user-${i}`;
    }],
    ["gist", (i) => `${web}/gist/mona/${gh.addGist("mona", { id: `${String(i).padStart(4, "0")}aa5a315d61ae9438b18d` }).id}`],
  ];
}

function context(token: string): UnfurlContext {
  const now = Date.now();
  return {
    grant: { id: "g", accountId: "a", clientId: "c", notionWorkspaceId: null, notionWorkspaceName: null, notionBotId: null, upstreamTokenSealed: "", notionTokenSealed: "", createdAt: now },
    account: { id: "a", provider: "github", externalId: "1", login: "mona", avatarUrl: null, createdAt: now, updatedAt: now },
    upstreamToken: () => Promise.resolve({ accessToken: token }),
    signal: AbortSignal.timeout(8_000),
  };
}

async function preview(provider: Provider, href: string, token: string): Promise<void> {
  const match = provider.match(new URL(href));
  if (!match) throw new Error(`not claimed: ${href}`);
  assertValidAttributes(await provider.unfurl(match, context(token)));
}

/** Requests to the APIs and points spent (core + graphql) while `work` runs. */
async function measure(gh: FakeGitHub, work: () => Promise<void>): Promise<{ requests: number; points: number }> {
  const points = () => gh.rateLimitUsed("mona", "core") + gh.rateLimitUsed("mona", "graphql");
  const [r0, p0] = [gh.requests.filter((r) => r.path.startsWith("/api/")).length, points()];
  await work();
  return { requests: gh.requests.filter((r) => r.path.startsWith("/api/")).length - r0, points: points() - p0 };
}

async function main(): Promise<void> {
  const gh = await startFakeGitHub();
  const { token } = gh.addUser({ id: 1, login: "mona", name: "Mona" });
  const kinds = makers(gh);
  let n = 0;
  // as `buildProviders` wires it (GraphQL answers reused for 10 s)
  const provider = (clock: Clock) =>
    createGitHubProvider({ webUrl: gh.webUrl, apiUrl: gh.apiUrl, graphqlUrl: gh.graphqlUrl, developerName: "Bench", fetch, clock });

  console.log("Cold preview of one link (fresh caches):\n");
  console.log(`  ${"kind".padEnd(24)} ${"requests".padStart(8)} ${"points".padStart(7)}`);
  for (const [kind, make] of kinds) {
    const href = make(n++);
    const { requests, points } = await measure(gh, () => preview(provider(handClock()), href, token));
    console.log(`  ${kind.padEnd(24)} ${String(requests).padStart(8)} ${String(points).padStart(7)}`);
  }

  const page = Array.from({ length: PAGE_SIZE }, (_, i) => (kinds[i % kinds.length] as Maker)[1](n++));
  const graphqlKinds = Array.from({ length: PAGE_SIZE }, (_, i) => (kinds[i % kinds.length] as Maker)[0]).filter((k) =>
    /^(pull request|issue|discussion)/.test(k),
  ).length;
  const rows: [string, { requests: number; points: number }][] = [];
  const clock = handClock();
  const shared = provider(clock);
  const load = () => Promise.all(page.map((href) => preview(shared, href, token))).then(() => undefined);
  rows.push(["first visit (cold)", await measure(gh, load)]);
  rows.push(["revisit within 10 s, nothing changed", await measure(gh, load)]);
  clock.advance(PREVIEW_CACHE_MS + 1);
  rows.push(["revisit 60 s later, nothing changed", await measure(gh, load)]);

  console.log(`\nA page of ${PAGE_SIZE} distinct previews (the ${kinds.length} kinds in turn; ${graphqlKinds} read through GraphQL), one account:\n`);
  console.log(`  ${"visit (as the provider sees it)".padEnd(58)} ${"requests".padStart(8)} ${"points".padStart(7)}`);
  for (const [name, { requests, points }] of rows) console.log(`  ${name.padEnd(58)} ${String(requests).padStart(8)} ${String(points).padStart(7)}`);
  console.log("\n  Revisits within UNFURL_CACHE_TTL (60 s by default) are answered by the unfurl service's own cache: 0 requests.");
  await gh.close();
}

await main();
