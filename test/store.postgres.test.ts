import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrations } from "../src/store/postgres/migrations.js";
import { openPostgresStore } from "../src/store/postgres/store.js";
import { storeContract } from "./contract/store.js";

const baseUrl = process.env.TEST_DATABASE_URL;

/** A new schema, reached through `search_path`, so that parallel runs never see each other. */
async function freshSchema(base: string): Promise<{ schema: string; url: string; admin: pg.Client; drop: () => Promise<void> }> {
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    admin,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

describe.runIf(baseUrl)("PostgreSQL store", () => {
  if (baseUrl === undefined) return;

  storeContract("postgres", async () => {
    const { url, drop } = await freshSchema(baseUrl);
    const store = await openPostgresStore(url);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await drop();
      },
    };
  });

  it("migrates once when several instances start together", async () => {
    const { schema, url, admin, drop } = await freshSchema(baseUrl);
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url)));
      await Promise.all(stores.map((s) => s.close()));
      const { rows } = await admin.query<{ version: number }>(
        `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
      );
      expect(rows.map((r) => r.version)).toEqual(migrations.map((_, i) => i + 1));
    } finally {
      await drop();
    }
  });
});
