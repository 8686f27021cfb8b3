import { Client, isHTTPResponseError } from "@notionhq/client";
import type { Fetch } from "../http/outbound.js";

/** The client types its own minimal fetch; undici's fetch satisfies it at run time. */
type NotionFetch = NonNullable<NonNullable<ConstructorParameters<typeof Client>[0]>["fetch"]>;

export interface NotionTokenGrant {
  accessToken: string;
  botId: string;
  workspaceId: string;
  workspaceName: string | null;
}

/** Our side of Notion's OAuth: trade the code Notion gave the authorize URL for a Notion token. */
export interface NotionOAuth {
  exchange(p: { code: string; redirectUri: string; externalAccount: { key: string; name: string } }): Promise<NotionTokenGrant>;
}

/** Notion refused the code (expired, used, wrong integration): the user must start again. */
export class NotionCodeRejected extends Error {
  constructor(readonly notionCode: string) {
    super(`Notion refused the authorization code (${notionCode})`);
    this.name = "NotionCodeRejected";
  }
}

export function createNotionOAuth(opts: {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: Fetch;
  timeoutMs?: number;
}): NotionOAuth {
  const client = new Client({
    baseUrl: opts.apiUrl,
    fetch: opts.fetch as unknown as NotionFetch,
    timeoutMs: opts.timeoutMs ?? 10_000,
    // A code is single-use: never retry the exchange blindly.
    retry: false,
  });
  return {
    async exchange({ code, redirectUri, externalAccount }) {
      try {
        const r = await client.oauth.token({
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          grant_type: "authorization_code",
          code,
          redirect_uri: redirectUri,
          external_account: externalAccount,
        });
        return { accessToken: r.access_token, botId: r.bot_id, workspaceId: r.workspace_id, workspaceName: r.workspace_name };
      } catch (err) {
        // Any 4xx (known code or not, e.g. invalid_grant) means Notion refused this code.
        if (isHTTPResponseError(err) && err.status >= 400 && err.status < 500) {
          throw new NotionCodeRejected(String(err.code));
        }
        throw err;
      }
    },
  };
}
