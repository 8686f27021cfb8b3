/**
 * Redirect URIs are compared exactly, except that scheme, host and path compare
 * case-insensitively (Notion sends `externalIntegrationAuthCallback` in either case).
 */
export function normalizeRedirectUri(uri: string): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return null;
  }
  if (u.username || u.password || u.hash) return null;
  return `${u.protocol}//${u.host}${u.pathname}`.toLowerCase() + u.search;
}

export function isAllowedRedirectUri(uri: string, allowed: readonly string[]): boolean {
  const n = normalizeRedirectUri(uri);
  return n !== null && allowed.some((a) => normalizeRedirectUri(a) === n);
}

export function sameRedirectUri(a: string, b: string): boolean {
  const na = normalizeRedirectUri(a);
  return na !== null && na === normalizeRedirectUri(b);
}

/** `redirect_uri` with our parameters appended (keeping any query it already has). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}
