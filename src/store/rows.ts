/**
 * Row → domain mapping shared by the SQLite and PostgreSQL stores. Both schemas use the same
 * snake_case column names, so only the SQL differs between them, never the shape of a row. The
 * readers check each column's runtime type: a driver change (a BIGINT coming back as a string)
 * fails loudly here instead of leaking a wrong type into the app.
 */
import type { AccessTokenRecord, Account, AuthCode, Grant, TrackedUri } from "./types.js";

export type Row = Record<string, unknown>;

const ACCOUNT_COLUMNS = ["id", "provider", "external_id", "login", "avatar_url", "created_at", "updated_at"];
const GRANT_COLUMNS = [
  "id",
  "account_id",
  "client_id",
  "notion_workspace_id",
  "notion_workspace_name",
  "notion_bot_id",
  "upstream_token_sealed",
  "notion_token_sealed",
  "created_at",
];

/**
 * The select list of the access-token JOIN (`g` = grants, `a` = accounts): each column is aliased
 * with its table's prefix because both tables have `id` and `created_at`.
 */
export const GRANT_AND_ACCOUNT_SELECT = [
  ...GRANT_COLUMNS.map((c) => `g.${c} AS g_${c}`),
  ...ACCOUNT_COLUMNS.map((c) => `a.${c} AS a_${c}`),
].join(", ");

/** The row of an `INSERT … RETURNING`, which always yields one or throws: this tells TypeScript. */
export function returned(row: Row | undefined): Row {
  if (row === undefined) throw new Error("store: INSERT … RETURNING gave no row");
  return row;
}

export function text(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== "string") throw new TypeError(`store: column ${column} is not text`);
  return v;
}

export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function int(row: Row, column: string): number {
  const v = row[column];
  if (typeof v !== "number") throw new TypeError(`store: column ${column} is not a number`);
  return v;
}

export function intOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : int(row, column);
}

export function toAccount(row: Row, prefix = ""): Account {
  return {
    id: text(row, `${prefix}id`),
    provider: text(row, `${prefix}provider`),
    externalId: text(row, `${prefix}external_id`),
    login: text(row, `${prefix}login`),
    avatarUrl: textOrNull(row, `${prefix}avatar_url`),
    createdAt: int(row, `${prefix}created_at`),
    updatedAt: int(row, `${prefix}updated_at`),
  };
}

export function toGrant(row: Row, prefix = ""): Grant {
  return {
    id: text(row, `${prefix}id`),
    accountId: text(row, `${prefix}account_id`),
    clientId: text(row, `${prefix}client_id`),
    notionWorkspaceId: textOrNull(row, `${prefix}notion_workspace_id`),
    notionWorkspaceName: textOrNull(row, `${prefix}notion_workspace_name`),
    notionBotId: textOrNull(row, `${prefix}notion_bot_id`),
    upstreamTokenSealed: text(row, `${prefix}upstream_token_sealed`),
    notionTokenSealed: text(row, `${prefix}notion_token_sealed`),
    createdAt: int(row, `${prefix}created_at`),
  };
}

/** Reads a row selected with {@link GRANT_AND_ACCOUNT_SELECT} plus the token's `expires_at`. */
export function toAccessTokenRecord(row: Row): AccessTokenRecord {
  return { grant: toGrant(row, "g_"), account: toAccount(row, "a_"), expiresAt: int(row, "expires_at") };
}

export function toAuthCode(row: Row): AuthCode {
  return {
    hash: text(row, "hash"),
    grantId: text(row, "grant_id"),
    clientId: text(row, "client_id"),
    redirectUri: text(row, "redirect_uri"),
    expiresAt: int(row, "expires_at"),
    usedAt: intOrNull(row, "used_at"),
  };
}

export function toTrackedUri(row: Row): TrackedUri {
  return {
    grantId: text(row, "grant_id"),
    uri: text(row, "uri"),
    resourceKey: text(row, "resource_key"),
    createdAt: int(row, "created_at"),
    updatedAt: int(row, "updated_at"),
  };
}

/** The refresh-token row `rotateRefreshToken` decides on, joined with its grant. */
export interface RefreshRow {
  grantId: string;
  clientId: string;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

export function toRefreshRow(row: Row): RefreshRow {
  return {
    grantId: text(row, "grant_id"),
    clientId: text(row, "client_id"),
    expiresAt: int(row, "expires_at"),
    usedAt: intOrNull(row, "used_at"),
    revokedAt: intOrNull(row, "revoked_at"),
  };
}

/**
 * Whether a refresh token may be presented at all: it exists, is unexpired and its grant is not
 * revoked. Whether it was already used is the caller's next question (a replay revokes the grant).
 */
export function isLiveRefresh(row: RefreshRow | undefined, now: number): row is RefreshRow {
  return row !== undefined && row.expiresAt > now && row.revokedAt === null;
}
