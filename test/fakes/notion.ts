import express from "express";
import { systemClock } from "../../src/clock.js";
import { isRecord } from "../../src/emulator/envelope.js";
import { notionApiRoutes, type ScriptedAnswer } from "../../src/emulator/notionApi.js";
import { NotionApiError, invalidRequestUrl } from "../../src/emulator/notionErrors.js";
import { createNotionIssuer, type ExternalAccount, type NotionIssuer, type Workspace } from "../../src/emulator/notionIssuer.js";
import { createPushLog } from "../../src/emulator/pushes.js";
import { type Listening, type RecordedRequest, listen, recordRequests } from "./http.js";

/**
 * A fake Notion API over real HTTP: the product's Notion emulator (`src/emulator/`: its issuer of
 * codes and tokens, its `/v1` routes for `POST /v1/oauth/token` and `PATCH /v1/external/object`,
 * Notion's error object, the protocol validator on pushed attribute sets), so the fake and the
 * emulator cannot drift apart. What the fake adds is for tests: logs they read, per-code
 * workspaces, and scripted answers to pushes.
 */

export type { ExternalAccount, Workspace };

export interface FakeNotionOptions {
  /** The credentials of "our public Notion integration" (`NOTION_CLIENT_ID` / `_SECRET`). */
  clientId: string;
  clientSecret: string;
  /** The workspace codes connect to unless `issueCode` says otherwise. */
  workspace?: Partial<Workspace>;
}

export interface TokenRequest {
  /** The HTTP status the fake answered. */
  status: number;
  /** `body.code` as sent; left undefined when the client failed to authenticate. */
  code: unknown;
  /** The account of the token issued; null when the exchange was refused. */
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

export type ScriptedResponse = ScriptedAnswer;

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

export async function startFakeNotion(opts: FakeNotionOptions): Promise<FakeNotion> {
  const issuer = createNotionIssuer({
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    clock: systemClock,
    workspace: { ...opts.workspace, name: opts.workspace?.name ?? "Acme Inc." },
  });
  const tokenRequests: TokenRequest[] = [];
  const tokens: IssuedNotionToken[] = [];
  const patches: PatchRecord[] = [];
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const waiters = new Set<() => void>();

  // Recorded before the answer goes out: a test reads `patches` as soon as our PATCH returns.
  const pushes = createPushLog();
  pushes.subscribe((push) => {
    patches.push({ token: push.token ?? undefined, notionVersion: push.notionVersion ?? undefined, body: push.body, status: push.status });
    for (const wake of waiters) wake();
  });

  const app = express();
  app.disable("x-powered-by");
  // Parsed here, whatever the content type, so that `requests` logs every body; the routes' own
  // parser then finds the body read.
  app.use(express.json({ type: () => true }));
  app.use(recordRequests(requests));
  app.use(
    "/v1",
    notionApiRoutes({
      issuer: recordingExchanges(issuer, tokenRequests, tokens),
      pushes,
      clock: systemClock,
      log: () => undefined,
      scriptedPush: () => scripted.shift(),
    }),
  );
  app.use(invalidRequestUrl);

  const server: Listening = await listen(app);

  return {
    url: server.url,
    issueCode: ({ workspace } = {}) => issuer.issueCode({ workspace }),
    queuePatchResponse(response) {
      scripted.push(response);
    },
    revokeToken(token) {
      issuer.revoke(token);
    },
    waitForPatches(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (patches.length < count) return false;
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

/** The issuer, with every code exchange (refused or not) written to the logs tests read. */
function recordingExchanges(issuer: NotionIssuer, tokenRequests: TokenRequest[], tokens: IssuedNotionToken[]): NotionIssuer {
  return {
    ...issuer,
    exchange(authorization, body) {
      const record: TokenRequest = { status: 0, code: undefined, externalAccount: null, body };
      tokenRequests.push(record);
      const sentCode = isRecord(body) ? body["code"] : undefined;
      try {
        const answer = issuer.exchange(authorization, body);
        const issued = issuer.tokens.find((t) => t.accessToken === answer.access_token);
        if (issued) {
          const { accessToken, botId, workspace, code, externalAccount } = issued;
          tokens.push({ accessToken, botId, workspaceId: workspace.id, workspaceName: workspace.name, code, externalAccount });
          record.externalAccount = externalAccount;
        }
        record.status = 200;
        record.code = sentCode;
        return answer;
      } catch (err) {
        if (err instanceof NotionApiError) {
          record.status = err.status;
          if (err.status !== 401) record.code = sentCode;
        }
        throw err;
      }
    },
  };
}
