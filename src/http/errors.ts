/**
 * The few error classes of the server. Each carries the protocol it is answered in; one error
 * middleware serialises them, and anything else becomes a logged 500 without details.
 */

/** RFC 6749 §5.2 / §4.1.2.1 error, answered as OAuth error JSON or as a redirect. */
export class OAuthError extends Error {
  constructor(
    readonly code:
      | "invalid_request"
      | "invalid_client"
      | "invalid_grant"
      | "unauthorized_client"
      | "unsupported_grant_type"
      | "unsupported_response_type"
      | "invalid_scope"
      | "access_denied"
      | "server_error"
      | "temporarily_unavailable",
    readonly description: string,
    readonly status = code === "invalid_client" ? 401 : code === "server_error" ? 500 : 400,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

/** A failure to preview a link: answered `200` with an `error` operation in the unfurl envelope. */
export class UnfurlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "UnfurlError";
  }
}

/** The upstream (GitHub …) no longer accepts the user's token and it cannot be refreshed. */
export class UpstreamAuthError extends Error {
  constructor(message = "upstream credentials were revoked") {
    super(message);
    this.name = "UpstreamAuthError";
  }
}

/** Plain HTTP error with a message safe to show (`expose`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}
