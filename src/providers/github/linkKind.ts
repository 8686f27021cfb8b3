import { dev, plainText, title, type Attribute } from "../../notion/attributes.js";
import type { DashboardRule, LinkMatch } from "../types.js";
import type { Caller, GitHubApi } from "./api.js";
import type { GitHubSite, Params } from "./urls.js";

/**
 * One kind of GitHub link (pull request, issue, commit …), as data: its pattern, the samples and
 * placeholder for Notion's dashboard, its resource key, and how to preview it. The list of kinds
 * drives the router, the dashboard rules and the tests alike.
 */

/** What a kind needs to build a preview. */
export interface KindContext {
  api: GitHubApi;
  /** Whose credentials the calls use (the user's, or the app installation's for public data). */
  caller: Caller;
  site: GitHubSite;
  developerName: string;
}

export interface LinkKind {
  /** `LinkMatch.kind`, e.g. `pull_request`. */
  kind: string;
  /** The dashboard rule's name, e.g. `GitHub pull request`. */
  name: string;
  /** The whole regex source (`^…$`) with named groups. */
  pattern(site: GitHubSite): string;
  /** Sample links for the dashboard; each must match this pattern and no other. */
  samples(site: GitHubSite): string[];
  /** What the placeholder shows while the preview loads; may use `$<group>`. */
  placeholder: { title: string; identifier: string };
  /** Checks the regex cannot express (number ranges); a refused link is no link of this kind. */
  accept?(params: Params): boolean;
  key(site: GitHubSite, params: Params): string;
  unfurl(params: Params, ctx: KindContext): Promise<Attribute[]>;
}

/** The kinds compiled for one site: regexes built once, the first kind that claims a URL wins. */
export interface CompiledKinds {
  match(url: URL): { kind: LinkKind; match: LinkMatch } | null;
  rules(developerName: string): DashboardRule[];
  byName(kind: string): LinkKind | undefined;
}

export function compileKinds(site: GitHubSite, kinds: readonly LinkKind[]): CompiledKinds {
  const compiled = kinds.map((kind) => ({ kind, regex: new RegExp(kind.pattern(site)) }));
  return {
    match(url) {
      for (const { kind, regex } of compiled) {
        const groups = regex.exec(url.href)?.groups;
        if (!groups) continue;
        const params: Params = Object.fromEntries(
          Object.entries(groups).filter((e): e is [string, string] => e[1] !== undefined),
        );
        if (kind.accept && !kind.accept(params)) continue;
        return { kind, match: { kind: kind.kind, params, resourceKey: kind.key(site, params) } };
      }
      return null;
    },
    rules(developerName) {
      return compiled.map(({ kind, regex }) => ({
        name: kind.name,
        pattern: regex.source,
        samples: kind.samples(site),
        placeholder: [
          title(kind.placeholder.title),
          plainText("identifier", "Link", kind.placeholder.identifier, "identifier"),
          dev(developerName),
        ],
      }));
    },
    byName: (name) => kinds.find((k) => k.kind === name),
  };
}
