import { randomUUID, randomBytes } from "node:crypto";
import express, { type Request, type Response } from "express";
import { validateAttributes } from "../../src/notion/validate.js";
import { type Listening, type RecordedRequest, bearerToken, listen, recordRequests } from "./http.js";

/**
 * A fake Notion API over real HTTP: the two calls our server makes, `POST /v1/oauth/token` (trade
 * the code Notion put in the authorize URL for a Notion token) and `PATCH /v1/external/object`
 * (push a preview update). Errors use Notion's error object `{object:"error", status, code, message}`.
 * Pushed attribute sets go through our protocol validator, so an invalid update fails like a
 * refused one would.
 */

export interface FakeNotionOptions {
  /** The credentials of "our public Notion integration" (`NOTION_CLIENT_ID` / `_SECRET`). */
  clientId: string;
  clientSecret: string;
  /** The workspace codes connect to unless `issueCode` says otherwise. */
  workspace?: Partial<Workspace>;
}

export interface Workspace {
  id: string;
  name: string;
  icon: string | null;
}

export interface ExternalAccount {
  key: string;
  name: string;
}

export interface TokenRequest {
  /** The HTTP status the fake answered. */
  status: number;
  code: unknown;
  externalAccount: ExternalAccount | null;
  body: unknown;
}

export interface IssuedNotionToken {
  accessToken: string;
  botId: string;
  workspaceId: string;
  workspaceName: string;
  code: string;
  externalAccount: ExternalAccount;
}

export interface PatchRecord {
  token: string | undefined;
  notionVersion: string | undefined;
  body: unknown;
  /** The HTTP status the fake answered (scripted or not). */
  status: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeNotion {
  /** The API base (`NOTION_API_URL`), e.g. `http://127.0.0.1:41235`. */
  url: string;
  /** A code Notion would put in the authorize URL: single use, valid 10 minutes. */
  issueCode(opts?: { workspace?: Partial<Workspace> }): string;
  /** Answers the next `PATCH /v1/external/object` calls in order (after auth passed), e.g. a 429. */
  queuePatchResponse(response: ScriptedResponse): void;
  /** The Notion token stops working (as when the user disconnects in Notion). */
  revokeToken(token: string): void;
  /** Resolves once at least `count` patches arrived (for pushes made in the background). */
  waitForPatches(count: number, timeoutMs?: number): Promise<PatchRecord[]>;
  readonly tokenRequests: TokenRequest[];
  readonly tokens: IssuedNotionToken[];
  readonly patches: PatchRecord[];
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const CODE_TTL_MS = 10 * 60_000;

const notionError = (res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  void res.status(status).set(headers).json({ object: "error", status, code, message, request_id: randomUUID() });

export async function startFakeNotion(opts: FakeNotionOptions): Promise<FakeNotion> {
  const defaultWorkspace: Workspace = {
    id: opts.workspace?.id ?? randomUUID(),
    name: opts.workspace?.name ?? "Acme Inc.",
    icon: opts.workspace?.icon ?? null,
  };
  const codes = new Map<string, { expiresAt: number; workspace: Workspace }>();
  const live = new Set<string>();
  const tokenRequests: TokenRequest[] = [];
  const tokens: IssuedNotionToken[] = [];
  const patches: PatchRecord[] = [];
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const waiters = new Set<() => void>();

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ type: () => true }));
  app.use(recordRequests(requests));

  app.post("/v1/oauth/token", (req, res) => {
    const record: TokenRequest = { status: 0, code: undefined, externalAccount: null, body: req.body };
    tokenRequests.push(record);
    const answer = (status: number, code: string, message: string) => {
      record.status = status;
      notionError(res, status, code, message);
    };
    if (!basicAuthMatches(req, opts.clientId, opts.clientSecret)) {
      return answer(401, "unauthorized", "Invalid client credentials: use HTTP Basic with the integration's client id and secret.");
    }
    const body = isRecord(req.body) ? req.body : {};
    record.code = body["code"];
    if (body["grant_type"] !== "authorization_code") {
      return answer(400, "validation_error", 'body.grant_type should be "authorization_code".');
    }
    const account = externalAccount(body["external_account"]);
    if (!account) {
      return answer(400, "validation_error", "body.external_account should be an object with non-empty string key and name.");
    }
    record.externalAccount = account;
    const code = typeof body["code"] === "string" ? body["code"] : "";
    const pending = codes.get(code);
    codes.delete(code); // single use
    if (!pending || pending.expiresAt < Date.now()) return answer(400, "invalid_grant", "Invalid code: this code has expired or was already used.");

    const issued: IssuedNotionToken = {
      accessToken: `ntn_${randomBytes(24).toString("hex")}`,
      botId: randomUUID(),
      workspaceId: pending.workspace.id,
      workspaceName: pending.workspace.name,
      code,
      externalAccount: account,
    };
    tokens.push(issued);
    live.add(issued.accessToken);
    record.status = 200;
    res.json({
      access_token: issued.accessToken,
      token_type: "bearer",
      bot_id: issued.botId,
      workspace_id: issued.workspaceId,
      workspace_name: issued.workspaceName,
      workspace_icon: pending.workspace.icon,
      owner: { type: "workspace", workspace: true },
      duplicated_template_id: null,
      request_id: randomUUID(),
    });
  });

  app.patch("/v1/external/object", (req, res) => {
    const token = bearerToken(req);
    const notionVersion = req.get("notion-version");
    const record: PatchRecord = { token, notionVersion, body: req.body, status: 0 };
    patches.push(record);
    const answer = (status: number, send: () => void) => {
      record.status = status;
      send();
      for (const wake of waiters) wake();
    };

    if (token === undefined || !live.has(token)) {
      return answer(401, () => notionError(res, 401, "unauthorized", "API token is invalid."));
    }
    if (!notionVersion) {
      return answer(400, () =>
        notionError(res, 400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`."),
      );
    }
    const next = scripted.shift();
    if (next) {
      return answer(next.status, () => void res.status(next.status).set(next.headers ?? {}).json(next.body ?? {}));
    }
    const problem = envelopeProblem(req.body);
    if (problem) return answer(400, () => notionError(res, 400, "validation_error", problem));
    return answer(200, () => void res.json({}));
  });

  app.use((_req, res) => notionError(res, 404, "invalid_request_url", "Invalid request URL."));

  const server: Listening = await listen(app);

  return {
    url: server.url,
    issueCode({ workspace } = {}) {
      const code = randomUUID();
      codes.set(code, { expiresAt: Date.now() + CODE_TTL_MS, workspace: { ...defaultWorkspace, ...workspace } });
      return code;
    },
    queuePatchResponse(response) {
      scripted.push(response);
    },
    revokeToken(token) {
      live.delete(token);
    },
    waitForPatches(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (patches.filter((p) => p.status !== 0).length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve([...patches]);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Notion: ${patches.length} of ${count} patches after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    tokenRequests,
    tokens,
    patches,
    requests,
    close: server.close,
  };
}

function basicAuthMatches(req: Request, clientId: string, clientSecret: string): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(req.get("authorization") ?? "");
  if (!match?.[1]) return false;
  return Buffer.from(match[1], "base64").toString("utf8") === `${clientId}:${clientSecret}`;
}

function externalAccount(value: unknown): ExternalAccount | null {
  if (!isRecord(value)) return null;
  const { key, name } = value;
  return typeof key === "string" && key !== "" && typeof name === "string" && name !== "" ? { key, name } : null;
}

/** `{uri, operations:[{path:["attributes"], set}]}` or the `error` form; null when it is fine. */
function envelopeProblem(body: unknown): string | null {
  if (!isRecord(body) || typeof body["uri"] !== "string" || !URL.canParse(body["uri"])) {
    return "body.uri should be an absolute URL.";
  }
  const operations = body["operations"];
  if (!Array.isArray(operations) || operations.length !== 1 || !isRecord(operations[0])) {
    return "body.operations should be an array of one operation.";
  }
  const { path, set } = operations[0];
  const target = Array.isArray(path) && path.length === 1 ? path[0] : undefined;
  if (target === "attributes") {
    const result = validateAttributes(set);
    return result.ok ? null : `body.operations[0].set is invalid: ${result.errors.join("; ")}`;
  }
  if (target === "error") {
    const ok = isRecord(set) && typeof set["status"] === "number" && typeof set["message"] === "string";
    return ok ? null : "body.operations[0].set should be {status: number, message: string}.";
  }
  return 'body.operations[0].path should be ["attributes"] or ["error"].';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
