import { fetch } from "undici";
import type { Clock } from "../src/clock.js";
import type { Fetch } from "../src/http/outbound.js";
import type { Attribute } from "../src/notion/attributes.js";
import { assertValidAttributes } from "../src/notion/validate.js";
import { type GitHubProviderOptions, createGitHubProvider } from "../src/providers/github/index.js";
import type { Provider, UnfurlContext } from "../src/providers/types.js";
import type { FakeGitHub } from "./fakes/github.js";

/**
 * Shared by the GitHub provider tests: a provider wired to a fake GitHub, and an unfurl context
 * per GitHub user (each its own account, as in production, so caches never mix users).
 */

export function providerFor(gh: FakeGitHub, opts: Partial<GitHubProviderOptions> = {}): Provider {
  return createGitHubProvider({
    webUrl: gh.webUrl,
    apiUrl: gh.apiUrl,
    graphqlUrl: gh.graphqlUrl,
    developerName: "Acme Inc.",
    fetch,
    timeoutMs: 1_000,
    ...opts,
  });
}

export function contextFor(token: string, account: string, signal: AbortSignal = AbortSignal.timeout(5_000)): UnfurlContext {
  const now = Date.now();
  return {
    grant: {
      id: `grant-${account}`,
      accountId: `account-${account}`,
      clientId: "notion",
      notionWorkspaceId: null,
      notionWorkspaceName: null,
      notionBotId: null,
      upstreamTokenSealed: "sealed",
      notionTokenSealed: "sealed",
      createdAt: now,
    },
    account: { id: `account-${account}`, provider: "github", externalId: account, login: account, avatarUrl: null, createdAt: now, updatedAt: now },
    upstreamToken: () => Promise.resolve({ accessToken: token }),
    signal,
  };
}

/** Matches, unfurls and validates: the set every preview must be. */
export async function unfurlWith(provider: Provider, href: string, token: string, account: string, signal?: AbortSignal): Promise<Attribute[]> {
  const match = provider.match(new URL(href));
  if (!match) throw new Error(`not claimed: ${href}`);
  return assertValidAttributes(await provider.unfurl(match, contextFor(token, account, signal)));
}

export const byId = (set: Attribute[]): Record<string, Attribute> => Object.fromEntries(set.map((a) => [a.id, a]));

/** The value shown by an inline attribute, whatever its sub-type; the src of an embed. */
export function shown(a: Attribute | undefined): unknown {
  if (!a) return undefined;
  if (a.type === "embed") return a.embed.src_url;
  if (a.type === "relation") return a.relation.uri;
  const [value] = Object.values(a.inline) as { value: unknown }[];
  return value?.value;
}

/** A compact, reviewable view of a set for snapshots: `id [section sub-type]: value`. */
export function summary(set: Attribute[]): string[] {
  return set.map((a) => {
    if (a.type === "embed") {
      const [sub, where] = Object.entries(a.embed).find(([k]) => k !== "src_url") as [string, { section: string }];
      return `${a.id} [${where.section} ${sub}]: ${a.embed.src_url}`;
    }
    if (a.type === "relation") return `${a.id} [${a.relation.mention.section} relation]: ${a.relation.uri}`;
    const [sub, v] = Object.entries(a.inline)[0] as [string, { value: unknown; section: string; color?: { r: number; g: number; b: number } }];
    const color = v.color ? ` #${[v.color.r, v.color.g, v.color.b].map((c) => c.toString(16).padStart(2, "0")).join("")}` : "";
    return `${a.id} [${v.section} ${sub}${color}]: ${typeof v.value === "string" ? v.value : JSON.stringify(v.value)}`;
  });
}

/** A clock tests move by hand. */
export function handClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A fetch that plays api.github.com by mapping its paths onto a GHES-shaped fake. */
export function dotComFetch(gh: FakeGitHub): Fetch {
  return (input, init) => {
    const url = new URL(String(input));
    if (url.origin !== "https://api.github.com") return Promise.reject(new Error(`unexpected call to ${url.origin}`));
    const target = url.pathname === "/graphql" ? gh.graphqlUrl : `${gh.apiUrl}${url.pathname}${url.search}`;
    return fetch(target, init);
  };
}
