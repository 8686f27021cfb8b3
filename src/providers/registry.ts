import type { LinkMatch, Provider } from "./types.js";

export interface ResolvedLink {
  provider: Provider;
  match: LinkMatch;
}

/** URL → the provider that claims it. Providers are asked in order; the first match wins. */
export interface ProviderRegistry {
  readonly providers: readonly Provider[];
  resolve(uri: string): ResolvedLink | null;
}

export function createRegistry(providers: readonly Provider[]): ProviderRegistry {
  return {
    providers,
    resolve(uri) {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        return null;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") return null;
      for (const provider of providers) {
        const match = provider.match(url);
        if (match) return { provider, match };
      }
      return null;
    },
  };
}
