import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../clock.js";
import { constantTimeEqual } from "../secrets/tokens.js";
import { NotionApiError } from "./notionErrors.js";

/**
 * Notion's authorization side: the codes Notion puts in the authorize URL, and the Notion tokens
 * it gives our server for them at `POST /v1/oauth/token`. Plain functions over an in-memory map;
 * the HTTP route only passes the Authorization header and the JSON body in.
 */

export interface Workspace {
  id: string;
  name: string;
  icon: string | null;
}

export interface ExternalAccount {
  key: string;
  name: string;
}

export interface IssuedNotionToken {
  accessToken: string;
  botId: string;
  workspace: Workspace;
  /** The code it was traded for (the Lab finds its connection's token by it). */
  code: string;
  externalAccount: ExternalAccount;
  issuedAt: number;
  revoked: boolean;
}

/** Notion's answer to a successful code exchange (`OauthTokenResponse` of `@notionhq/client`). */
export interface NotionTokenAnswer {
  access_token: string;
  token_type: "bearer";
  refresh_token: null;
  bot_id: string;
  workspace_id: string;
  workspace_name: string;
  workspace_icon: string | null;
  owner: { type: "workspace"; workspace: true };
  duplicated_template_id: null;
  request_id: string;
}

/** What a code is issued for. */
export interface CodeRequest {
  /**
   * Binds the code to the authorize request's `redirect_uri`, as Notion does (the Lab always
   * gives it); a code without one is accepted with any (a test issues codes before any request).
   */
  redirectUri?: string;
  /** The workspace this code connects, over the issuer's own (a test plays several workspaces). */
  workspace?: Partial<Workspace>;
}

export interface NotionIssuer {
  /** The workspace codes connect to unless `issueCode` names another. */
  readonly workspace: Workspace;
  /** A code as Notion issues it for the authorize URL: a UUID, single use, 10 minutes. */
  issueCode(request?: CodeRequest): string;
  /** `POST /v1/oauth/token`; throws `NotionApiError` with Notion's status and code when refused. */
  exchange(authorization: string | undefined, body: unknown): NotionTokenAnswer;
  tokenForCode(code: string): IssuedNotionToken | undefined;
  isLive(accessToken: string): boolean;
  /** The user disconnected in Notion: the integration's token for that connection stops working. */
  revoke(accessToken: string): void;
  readonly tokens: readonly IssuedNotionToken[];
}

export interface IssuerOptions {
  /** The credentials of "our public Notion integration" (the server's `NOTION_CLIENT_ID` / `_SECRET`). */
  clientId: string;
  clientSecret: string;
  clock: Clock;
  workspace?: Partial<Workspace>;
}

export const NOTION_CODE_TTL_MS = 10 * 60_000;

/**
 * The Link Preview flow always names the external account (Notion recognises a re-connection by
 * its key), so unlike the generic OAuth endpoint the emulator requires it.
 */
const exchangeBody = z.object({
  grant_type: z.literal("authorization_code", { error: 'should be "authorization_code"' }),
  code: z.string({ error: "should be a string" }).min(1, { error: "should not be empty" }),
  redirect_uri: z.string({ error: "should be a string" }).optional(),
  external_account: z.object(
    {
      key: z.string({ error: "should be a string" }).min(1, { error: "should not be empty" }),
      name: z.string({ error: "should be a string" }).min(1, { error: "should not be empty" }),
    },
    { error: "should be an object {key, name}" },
  ),
});

export function createNotionIssuer(opts: IssuerOptions): NotionIssuer {
  const workspace: Workspace = {
    id: opts.workspace?.id ?? randomUUID(),
    name: opts.workspace?.name ?? "Emulated workspace",
    icon: opts.workspace?.icon ?? null,
  };
  const codes = new Map<string, { redirectUri: string | undefined; workspace: Workspace; expiresAt: number }>();
  const tokens: IssuedNotionToken[] = [];
  const expected = `${opts.clientId}:${opts.clientSecret}`;

  return {
    workspace,
    issueCode({ redirectUri, workspace: chosen } = {}) {
      const now = opts.clock.now();
      for (const [code, pending] of codes) if (pending.expiresAt <= now) codes.delete(code);
      const code = randomUUID();
      codes.set(code, { redirectUri, workspace: { ...workspace, ...chosen }, expiresAt: now + NOTION_CODE_TTL_MS });
      return code;
    },
    exchange(authorization, body) {
      // Both sides always compared, whatever the header holds, as a real token endpoint would.
      if (!constantTimeEqual(basicCredentials(authorization) ?? "", expected)) {
        throw new NotionApiError(401, "unauthorized", "Invalid client: use HTTP Basic with the integration's OAuth client id and secret.");
      }
      const parsed = exchangeBody.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `body.${i.path.join(".")} ${i.message}`);
        throw new NotionApiError(400, "validation_error", `body failed validation: ${problems.join("; ")}.`);
      }
      const { code, redirect_uri: redirectUri, external_account: externalAccount } = parsed.data;
      const pending = codes.get(code);
      codes.delete(code); // single use, refused or not
      if (!pending || pending.expiresAt <= opts.clock.now()) {
        throw new NotionApiError(400, "invalid_grant", "Invalid code: it was not issued by Notion, has expired or was already used.");
      }
      if (redirectUri !== undefined && pending.redirectUri !== undefined && redirectUri !== pending.redirectUri) {
        throw new NotionApiError(400, "invalid_grant", `redirect_uri does not match the authorization request (${pending.redirectUri}).`);
      }
      const issued: IssuedNotionToken = {
        accessToken: `ntn_${randomBytes(24).toString("hex")}`,
        botId: randomUUID(),
        workspace: pending.workspace,
        code,
        externalAccount,
        issuedAt: opts.clock.now(),
        revoked: false,
      };
      tokens.push(issued);
      return {
        access_token: issued.accessToken,
        token_type: "bearer",
        refresh_token: null,
        bot_id: issued.botId,
        workspace_id: pending.workspace.id,
        workspace_name: pending.workspace.name,
        workspace_icon: pending.workspace.icon,
        owner: { type: "workspace", workspace: true },
        duplicated_template_id: null,
        request_id: randomUUID(),
      };
    },
    tokenForCode: (code) => tokens.find((t) => t.code === code),
    isLive: (accessToken) => tokens.some((t) => !t.revoked && constantTimeEqual(t.accessToken, accessToken)),
    revoke(accessToken) {
      for (const t of tokens) if (t.accessToken === accessToken) t.revoked = true;
    },
    tokens,
  };
}

/** `id:secret` of an `Authorization: Basic …` header, or null. */
function basicCredentials(header: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  return match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : null;
}
