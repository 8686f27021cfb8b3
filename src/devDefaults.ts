import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "./config.js";

/**
 * Outside production, a fresh clone must start with no configuration: generate a secret key and
 * the OAuth client credentials we issue to Notion, once, into files under `./data` (mode 0600),
 * so restarts keep sealed rows readable and the Notion dashboard values valid.
 */
export function ensureDevDefaults(env: Env, dataDir: string): { env: Env; warnings: string[] } {
  const filled: Env = { ...env };
  const warnings: string[] = [];
  if (!env.SECRET_KEYS) {
    const file = path.join(dataDir, "secret.key");
    const created = !existsSync(file);
    if (created) writeSecretFile(file, `${randomBytes(32).toString("base64url")}\n`);
    filled.SECRET_KEYS = readFileSync(file, "utf8").trim();
    warnings.push(
      `SECRET_KEYS is not set: using the ${created ? "newly generated" : "generated"} development key in ${file}. ` +
        "Set SECRET_KEYS (and NODE_ENV=production) before real users connect.",
    );
  }
  if (!env.OAUTH_CLIENT_ID && !env.OAUTH_CLIENT_SECRET) {
    const file = path.join(dataDir, "oauth-client.json");
    const created = !existsSync(file);
    if (created) {
      const creds = { clientId: `dev-${randomBytes(9).toString("base64url")}`, clientSecret: randomBytes(32).toString("base64url") };
      writeSecretFile(file, `${JSON.stringify(creds, null, 2)}\n`);
    }
    const creds = JSON.parse(readFileSync(file, "utf8")) as { clientId: string; clientSecret: string };
    filled.OAUTH_CLIENT_ID = creds.clientId;
    filled.OAUTH_CLIENT_SECRET = creds.clientSecret;
    warnings.push(
      created
        ? `OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET are not set: generated development credentials (shown once; also in ${file}):\n` +
            `    OAuth Client ID:     ${creds.clientId}\n    OAuth Client Secret: ${creds.clientSecret}`
        : `OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET are not set: using the development credentials in ${file} (\`npm run cli -- config\` prints them).`,
    );
  }
  return { env: filled, warnings };
}

function writeSecretFile(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
}
