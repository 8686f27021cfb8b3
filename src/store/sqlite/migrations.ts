import { schemaMigrations } from "../schema.js";

export const migrations = schemaMigrations({ epochMs: "INTEGER", autoId: "INTEGER PRIMARY KEY AUTOINCREMENT", byteOrder: "" });
