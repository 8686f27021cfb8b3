/**
 * `DATABASE_URL` → a Store. Each driver is imported only when chosen, so a SQLite deployment never
 * loads pg and a PostgreSQL one never loads the native SQLite addon.
 */
import type { Store } from "./types.js";

/** Two or more characters, so that nothing but a real scheme is mistaken for one. */
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/** `sqlite:<path>` (`sqlite::memory:` too) or a bare path → SQLite; `postgres[ql]://…` → PostgreSQL. */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    const { openPostgresStore } = await import("./postgres/store.js");
    return openPostgresStore(databaseUrl);
  }
  const path = /^sqlite:(.+)$/is.exec(databaseUrl)?.[1] ?? (SCHEME.test(databaseUrl) ? "" : databaseUrl);
  if (path === "") {
    // Only the scheme is quoted: the rest of a URL may hold a password.
    const shown = databaseUrl === "" ? "(empty)" : `"${SCHEME.exec(databaseUrl)?.[0] ?? ""}…"`;
    throw new Error(`Unsupported database URL ${shown}: use sqlite:<path>, a file path, or postgres://…`);
  }
  const { openSqliteStore } = await import("./sqlite/store.js");
  return openSqliteStore(path);
}
