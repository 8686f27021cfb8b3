import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";

describe("openStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "store-open-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([`sqlite:${join(dir, "a.db")}`, join(dir, "b.db"), "sqlite::memory:"])("opens SQLite for %s", async (url) => {
    const store = await openStore(url);
    await store.ping();
    await store.close();
  });

  it.each(["", "sqlite:", "mysql://user:secret@host/db", "redis://localhost"])("rejects %j", async (url) => {
    const error = await openStore(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/Unsupported database URL/);
    expect(String(error)).not.toContain("secret");
  });
});
