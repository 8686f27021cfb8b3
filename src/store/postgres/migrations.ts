import { schemaMigrations } from "../schema.js";

export const migrations = schemaMigrations({
  epochMs: "BIGINT",
  autoId: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
  byteOrder: ' COLLATE "C"',
});
