import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/** Anything that can carry a credential is censored wherever it appears in a log line. */
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.access_token",
  "*.refresh_token",
  "*.client_secret",
  "*.code",
  "*.code_verifier",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.clientSecret",
  "*.password",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: "[REDACTED]" }, base: undefined }, destination);
}

const SENSITIVE_QUERY = new Set(["code", "state", "access_token", "refresh_token", "client_secret", "token", "csrf_token"]);

/** `/notion/authorize?code=…&state=…` → the same URL with those values censored. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SENSITIVE_QUERY.has(key)) params.set(key, "[REDACTED]");
  return `${url.slice(0, q)}?${params.toString()}`;
}
