import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/store/sqlite/store.js";
import { migrations } from "../src/store/sqlite/migrations.js";
import { storeContract } from "./contract/store.js";

/** A fresh directory per test; the database sits in a subdirectory the store has to create. */
function tempDir(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "store-sqlite-"));
  return { dir, file: join(dir, "nested", "store.db") };
}

storeContract("sqlite", async () => {
  const { dir, file } = tempDir();
  const store = openSqliteStore(file);
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("SQLite store", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    ({ dir, file } = tempDir());
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses WAL and records the schema version", async () => {
    await openSqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
    db.close();
  });

  it("opens a migrated file again (even while it is open) without migrating twice", async () => {
    const first = openSqliteStore(file);
    const account = await first.upsertAccount({ provider: "github", externalId: "1", login: "a", avatarUrl: null }, 1);
    const second = openSqliteStore(file);
    expect(await second.getAccount(account.id)).toEqual(account);
    await first.close();
    await second.close();

    const third = openSqliteStore(file);
    expect(await third.getAccount(account.id)).toEqual(account);
    await third.close();
  });

  it("refuses a file migrated by a newer build", () => {
    const future = join(dir, "future.db");
    const db = new Database(future);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openSqliteStore(future)).toThrow(/newer than this build/);
  });

  it("works in memory", async () => {
    const store = openSqliteStore(":memory:");
    await store.ping();
    await store.close();
  });
});
