/** Paths of the authorization flow that more than one module needs to know. */
export const CONSENT_PATH = "/notion/consent";
/** Register `PUBLIC_URL` + this path as the GitHub OAuth app's callback URL. */
export const UPSTREAM_CALLBACK_PATH = "/auth/github/callback";
