/**
 * Shared by the live-update tests: signed GitHub deliveries over real HTTP, payloads shaped like
 * GitHub's (only the fields the server reads, plus a few for realism), and a world of two users
 * previewing one private pull request through the whole Notion dance.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openUpstreamToken } from "../src/oauth/grantSecrets.js";
import { sha256 } from "../src/secrets/tokens.js";
import type { Grant } from "../src/store/types.js";
import { signPayload } from "../src/updates/signature.js";
import { CLIENT_ID, CLIENT_SECRET, type Harness } from "./helpers/harness.js";
import { connect, unfurl, type Tokens } from "./helpers/notionDance.js";

export const WEBHOOK_SECRET = "It's a Secret to Everybody";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface Delivery {
  event: string;
  payload: unknown;
  id?: string;
  /** Defaults to the right signature; `null` sends none. */
  signature?: string | null;
  contentType?: string;
  body?: string;
}

export async function deliver(baseUrl: string, d: Delivery): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = d.body ?? JSON.stringify(d.payload);
  const signature = d.signature === undefined ? signPayload(WEBHOOK_SECRET, body) : d.signature;
  const res = await fetch(`${baseUrl}/webhooks/github`, {
    method: "POST",
    headers: {
      "content-type": d.contentType ?? "application/json",
      "user-agent": "GitHub-Hookshot/test",
      "x-github-event": d.event,
      "x-github-delivery": d.id ?? randomUUID(),
      ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const repositoryPayload = (owner: string, name: string) => ({
  id: 1296269,
  name,
  full_name: `${owner}/${name}`,
  private: true,
  owner: { login: owner, id: 1, type: "Organization" },
});

export const pullRequestPayload = (owner: string, repo: string, number: number, action = "closed") => ({
  action,
  number,
  pull_request: { number, state: action === "closed" ? "closed" : "open", merged: action === "closed", updated_at: new Date().toISOString() },
  repository: repositoryPayload(owner, repo),
  sender: { login: "octocat", id: 1001 },
});

export interface World {
  prUrl: string;
  octocat: { tokens: Tokens; grant: Grant; notionToken: string };
  hubot: { tokens: Tokens; grant: Grant; notionToken: string };
}

/**
 * `acme/widgets#1` is private; octocat and hubot are collaborators, connected through the whole
 * dance and have both previewed it (so both track it).
 */
export async function previewedByTwo(h: Harness): Promise<World> {
  h.github.addUser({ id: 1001, login: "octocat" });
  h.github.addUser({ id: 2002, login: "hubot" });
  h.github.addRepository({ owner: "acme", name: "widgets", private: true, collaborators: ["octocat", "hubot"] });
  const pr = h.github.addPullRequest("acme", "widgets", { title: "Speed up widgets", state: "OPEN" });
  const prUrl = `${h.github.webUrl}/acme/widgets/pull/${pr.number}`;
  const user = async (login: string, githubId: string) => {
    const tokens = await connect(h, login);
    const res = await unfurl(h, tokens.access_token, { uri: prUrl });
    if (res.status !== 200) throw new Error(`unfurl for ${login} answered ${res.status}`);
    const owner = await h.store.findGrantByToken(sha256(tokens.access_token));
    const grant = owner && (await h.store.getGrant(owner.grantId));
    const notionToken = h.notion.tokens.find((t) => t.externalAccount.key === githubId)?.accessToken;
    if (!grant || !notionToken) throw new Error(`no grant for ${login}`);
    return { tokens, grant, notionToken };
  };
  return { prUrl, octocat: await user("octocat", "1001"), hubot: await user("hubot", "2002") };
}

/** The user's GitHub token, as the server holds it (sealed in the grant). */
export async function gitHubTokenOf(h: Harness, grant: Grant): Promise<string> {
  return (await openUpstreamToken(h.services.sealer, grant)).accessToken;
}

interface Operation {
  path: string[];
  set: unknown;
}

/** The one operation of an envelope (a PATCH body or an unfurl answer). */
export function operationOf(body: unknown): Operation {
  const operations = (body as { operations?: Operation[] } | null)?.operations;
  if (!operations?.[0]) throw new Error(`no operation in ${JSON.stringify(body)}`);
  return operations[0];
}

/** The value of an inline attribute of a set, by id (e.g. the `state` pill). */
export function inlineValue(set: unknown, id: string): string | undefined {
  const attribute = (set as { id: string; inline?: Record<string, { value: unknown }> }[]).find((a) => a.id === id);
  const inline = attribute?.inline && Object.values(attribute.inline)[0];
  return typeof inline?.value === "string" ? inline.value : undefined;
}

/**
 * The real server process (`node src/server.ts`, workers included) on the harness's database and
 * fakes, with its own system clock; `env` overrides (e.g. `NOTION_API_URL`). Resolves once it listens.
 */
export async function startServerProcess(harness: Harness, env: Record<string, string> = {}): Promise<{ process: ChildProcess; url: string }> {
  const c = harness.config;
  const [key] = c.secretKeys;
  const childEnv = {
    ...process.env,
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: c.databaseUrl,
    SECRET_KEYS: Buffer.from(key?.key ?? []).toString("base64url"),
    OAUTH_CLIENT_ID: CLIENT_ID,
    OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    GITHUB_CLIENT_ID: harness.github.clientId,
    GITHUB_CLIENT_SECRET: harness.github.clientSecret,
    GITHUB_URL: c.github.webUrl,
    GITHUB_API_URL: c.github.apiUrl,
    GITHUB_GRAPHQL_URL: c.github.graphqlUrl,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    DEVELOPER_NAME: c.developerName,
    NOTION_API_URL: c.notion.apiUrl,
    ...env,
  };
  const proc = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`server exited (${code}) before listening`)));
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      let entry: { msg?: string; port?: number } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        // not a log line
      }
      if (entry.msg === "listening" && typeof entry.port === "number") resolve(entry.port);
    });
  });
  return { process: proc, url: `http://127.0.0.1:${port}` };
}
