import { createPrivateKey } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ensureDevDefaults } from "./devDefaults.js";
import { parseSecretKeys, type SecretKey } from "./secrets/keys.js";

/**
 * The environment contract (../shared/server-contract.md) as one zod schema. This is the only
 * module that reads `process.env`; everything else receives the frozen `Config`.
 */

export type Env = Record<string, string | undefined>;

const DEFAULT_REDIRECT_URIS =
  "https://www.notion.so/externalintegrationauthcallback,https://notion.so/externalIntegrationAuthCallback";

/** Seconds as `3600` or `1h`, `30m`, `90d`, `45s`. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*[smhd]?$/i, "must be seconds (3600) or a duration like 30m, 1h, 90d")
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.slice(-1).toLowerCase();
    const factor = unit === "m" ? 60 : unit === "h" ? 3600 : unit === "d" ? 86400 : 1;
    return n * factor;
  })
  .refine((s) => s > 0, "must be positive");

const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z
  .string()
  .trim()
  .url("must be an absolute URL")
  .refine((u) => /^https?:$/.test(new URL(u).protocol), "must be http or https")
  .transform((u) => u.replace(/\/+$/, ""));

const list = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const optionalSecret = z.string().trim().min(1).optional();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z.string().trim().min(1).default("sqlite:./data/unfurl.db"),
  SECRET_KEYS: z.string().trim().min(1).optional(),
  DEVELOPER_NAME: z.string().trim().min(1).max(100).default("Link Preview"),
  OAUTH_CLIENT_ID: z.string().trim().min(8, "must be at least 8 characters").max(200).optional(),
  OAUTH_CLIENT_SECRET: z.string().trim().min(32, "must be at least 32 characters").optional(),
  OAUTH_REDIRECT_URIS: list
    .pipe(z.array(httpUrl).min(1, "needs at least one URI"))
    .default(list.parse(DEFAULT_REDIRECT_URIS)),
  ACCESS_TOKEN_TTL: duration.default(3600),
  REFRESH_TOKEN_TTL: duration.default(90 * 86400),
  UNFURL_CACHE_TTL: duration.default(60),
  NOTION_CLIENT_ID: optionalSecret,
  NOTION_CLIENT_SECRET: optionalSecret,
  NOTION_API_URL: httpUrl.default("https://api.notion.com"),
  GITHUB_CLIENT_ID: optionalSecret,
  GITHUB_CLIENT_SECRET: optionalSecret,
  GITHUB_URL: httpUrl.default("https://github.com"),
  GITHUB_API_URL: httpUrl.optional(),
  GITHUB_GRAPHQL_URL: httpUrl.optional(),
  GITHUB_WEBHOOK_SECRET: optionalSecret,
  // GitHub App (besides its client id/secret above): signs JWTs for installation tokens, which
  // preview public repositories without spending the user's token. PEM, PKCS#1 or PKCS#8; `\n`
  // escapes are accepted for one-line environment files.
  GITHUB_APP_ID: z.string().trim().regex(/^[A-Za-z0-9.]+$/, "must be the App's numeric id or client id").optional(),
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .transform((v) => v.replace(/\\n/g, "\n").trim())
    .refine(isRsaPrivateKey, "must be the App's RSA private key in PEM (PKCS#1 or PKCS#8)")
    .optional(),
  GITHUB_APP_INSTALLATION_ID: z.string().trim().regex(/^\d+$/, "must be a number").optional(),
  // Live updates: a webhook burst about one resource waits this long and becomes one refresh.
  REFRESH_DEBOUNCE: duration.default(2),
  // Without webhooks: re-read every tracked preview this often and push what changed (off when unset).
  REFRESH_INTERVAL: duration.optional(),
  // OAuth-app scopes; `repo` is GitHub's only scope that reaches private repositories (there is no
  // read-only one). GitHub Apps ignore it: their permissions are set on the app.
  GITHUB_OAUTH_SCOPE: z.string().trim().default("repo"),
  UNFURL_DOMAINS: list
    .pipe(z.array(z.string().regex(/^(?:\*\.)?[^\s*/:@]+$/, "must be host names like example.com or *.example.com")))
    .default([]),
  FETCH_ALLOW_PRIVATE: boolean.default(false),
  // Ports user-supplied links may name (the generic web provider); tests add their loopback port.
  FETCH_ALLOWED_PORTS: list
    .pipe(z.array(z.string().regex(/^\d{1,5}$/, "must be port numbers").transform(Number).pipe(z.number().int().min(1).max(65535))))
    .default([80, 443]),
  TRUST_PROXY: boolean.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
});

export interface Config {
  readonly env: "development" | "production" | "test";
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly databaseUrl: string;
  readonly secretKeys: readonly SecretKey[];
  readonly developerName: string;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  /** When set, `/metrics` requires `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  readonly oauth: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUris: readonly string[];
    readonly accessTokenTtl: number;
    readonly refreshTokenTtl: number;
  };
  readonly notion: { readonly clientId?: string; readonly clientSecret?: string; readonly apiUrl: string };
  readonly github: {
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly webUrl: string;
    readonly apiUrl: string;
    readonly graphqlUrl: string;
    readonly webhookSecret?: string;
    /** GitHub App installation tokens for public previews; absent unless GITHUB_APP_ID/PRIVATE_KEY are set. */
    readonly app?: { readonly id: string; readonly privateKey: string; readonly installationId?: string };
    readonly oauthScope: string;
  };
  readonly unfurl: {
    readonly cacheTtl: number;
    readonly domains: readonly string[];
    readonly fetchAllowPrivate: boolean;
    readonly fetchAllowedPorts: readonly number[];
  };
  /** Live updates (seconds); `refreshInterval` null: no poller. */
  readonly updates: { readonly debounce: number; readonly refreshInterval: number | null };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Secrets that production refuses to start without (development generates or tolerates them). */
const REQUIRED_IN_PRODUCTION = [
  "PUBLIC_URL",
  "SECRET_KEYS",
  "OAUTH_CLIENT_ID",
  "OAUTH_CLIENT_SECRET",
  "NOTION_CLIENT_ID",
  "NOTION_CLIENT_SECRET",
  "GITHUB_CLIENT_ID",
  "GITHUB_CLIENT_SECRET",
] as const;

/** Pure: environment → Config. Every problem is reported at once in one `ConfigError`. */
export function parseConfig(env: Env): Config {
  // `NAME=` in a .env file means "not set", not "set to empty".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === "production") {
    for (const name of REQUIRED_IN_PRODUCTION) if (!e[name]) problems.push(`${name}: required when NODE_ENV=production`);
    if (e.FETCH_ALLOW_PRIVATE) problems.push("FETCH_ALLOW_PRIVATE: refused when NODE_ENV=production");
  }
  for (const [a, b] of [
    ["NOTION_CLIENT_ID", "NOTION_CLIENT_SECRET"],
    ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
    ["GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY"],
    ["OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET"],
  ] as const) {
    if (Boolean(e[a]) !== Boolean(e[b])) problems.push(`${e[a] ? b : a}: must be set together with ${e[a] ? a : b}`);
  }
  let secretKeys: SecretKey[] = [];
  if (e.SECRET_KEYS) {
    try {
      secretKeys = parseSecretKeys(e.SECRET_KEYS);
    } catch (err) {
      problems.push(`SECRET_KEYS: ${(err as Error).message}`);
    }
  } else if (e.NODE_ENV !== "production") {
    problems.push("SECRET_KEYS: missing (loadConfig generates a development key)");
  }
  if (!e.OAUTH_CLIENT_ID && e.NODE_ENV !== "production") {
    problems.push("OAUTH_CLIENT_ID: missing (loadConfig generates development credentials)");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const apiUrl = e.GITHUB_API_URL ?? (isGitHubDotCom(e.GITHUB_URL) ? "https://api.github.com" : `${e.GITHUB_URL}/api/v3`);
  const graphqlUrl = e.GITHUB_GRAPHQL_URL ?? (apiUrl.endsWith("/api/v3") ? `${apiUrl.slice(0, -"v3".length)}graphql` : `${apiUrl}/graphql`);

  return deepFreeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    secretKeys,
    developerName: e.DEVELOPER_NAME,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    oauth: {
      clientId: e.OAUTH_CLIENT_ID ?? "",
      clientSecret: e.OAUTH_CLIENT_SECRET ?? "",
      redirectUris: e.OAUTH_REDIRECT_URIS,
      accessTokenTtl: e.ACCESS_TOKEN_TTL,
      refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    },
    notion: { clientId: e.NOTION_CLIENT_ID, clientSecret: e.NOTION_CLIENT_SECRET, apiUrl: e.NOTION_API_URL },
    github: {
      clientId: e.GITHUB_CLIENT_ID,
      clientSecret: e.GITHUB_CLIENT_SECRET,
      webUrl: e.GITHUB_URL,
      apiUrl,
      graphqlUrl,
      webhookSecret: e.GITHUB_WEBHOOK_SECRET,
      app:
        e.GITHUB_APP_ID && e.GITHUB_APP_PRIVATE_KEY
          ? { id: e.GITHUB_APP_ID, privateKey: e.GITHUB_APP_PRIVATE_KEY, installationId: e.GITHUB_APP_INSTALLATION_ID }
          : undefined,
      oauthScope: e.GITHUB_OAUTH_SCOPE,
    },
    unfurl: {
      cacheTtl: e.UNFURL_CACHE_TTL,
      domains: e.UNFURL_DOMAINS,
      fetchAllowPrivate: e.FETCH_ALLOW_PRIVATE,
      fetchAllowedPorts: e.FETCH_ALLOWED_PORTS,
    },
    updates: { debounce: e.REFRESH_DEBOUNCE, refreshInterval: e.REFRESH_INTERVAL ?? null },
  });
}

export interface LoadedConfig {
  config: Config;
  /** Loud notices for the operator (generated development defaults). */
  warnings: string[];
}

/**
 * Reads `.env` (when present) into the environment, fills development defaults from files under
 * `./data` (generating them on first run), then parses. Production never generates anything.
 */
export function loadConfig(opts: { env?: Env; cwd?: string } = {}): LoadedConfig {
  const cwd = opts.cwd ?? process.cwd();
  let env = opts.env;
  if (!env) {
    const dotenv = path.join(cwd, ".env");
    if (existsSync(dotenv)) process.loadEnvFile(dotenv);
    env = process.env;
  }
  if (env.NODE_ENV === "production") return { config: parseConfig(env), warnings: [] };
  const { env: filled, warnings } = ensureDevDefaults(env, path.join(cwd, "data"));
  return { config: parseConfig(filled), warnings };
}

export function isGitHubDotCom(webUrl: string): boolean {
  return new URL(webUrl).host === "github.com";
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function isRsaPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey({ key: pem, format: "pem" }).asymmetricKeyType === "rsa";
  } catch {
    return false;
  }
}
