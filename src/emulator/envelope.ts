import { validateAttributes } from "../notion/validate.js";

/**
 * What Notion concludes about an unfurl envelope it receives: an answer of the unfurl callback or
 * a `PATCH /v1/external/object` push. Unlike `UnfurlEnvelope` (what we send), this reads untrusted
 * JSON, so it assumes no shape and collects every problem; an attribute set goes through the one
 * validator of the protocol.
 */
export type Inspection =
  | { kind: "attributes"; uri: string | null; set: unknown; problems: string[] }
  | { kind: "error"; uri: string | null; status: number; message: string; problems: string[] }
  | { kind: "malformed"; uri: string | null; problems: string[] };

export const isValid = (inspection: Inspection): boolean => inspection.problems.length === 0;

/** `expectedUri`: an unfurl answer must name the link it was asked about. */
export function inspectEnvelope(body: unknown, expectedUri?: string): Inspection {
  if (!isRecord(body)) return { kind: "malformed", uri: null, problems: ["body should be a JSON object {uri, operations}"] };
  const problems: string[] = [];
  const uri = typeof body["uri"] === "string" ? body["uri"] : null;
  if (uri === null || !URL.canParse(uri)) problems.push("uri should be an absolute URL");
  else if (expectedUri !== undefined && uri !== expectedUri) problems.push(`uri should be the requested ${expectedUri}; got ${uri}`);

  const operations = body["operations"];
  if (!Array.isArray(operations) || operations.length !== 1 || !isRecord(operations[0])) {
    return { kind: "malformed", uri, problems: [...problems, "operations should be an array of exactly one {path, set}"] };
  }
  const { path, set } = operations[0];
  const target = Array.isArray(path) && path.length === 1 ? path[0] : undefined;
  if (target === "attributes") {
    const result = validateAttributes(set);
    return { kind: "attributes", uri, set, problems: result.ok ? problems : [...problems, ...result.errors] };
  }
  if (target === "error") {
    if (isRecord(set) && typeof set["status"] === "number" && typeof set["message"] === "string") {
      return { kind: "error", uri, status: set["status"], message: set["message"], problems };
    }
    return { kind: "malformed", uri, problems: [...problems, "an error operation's set should be {status: number, message: string}"] };
  }
  return { kind: "malformed", uri, problems: [...problems, 'operations[0].path should be ["attributes"] or ["error"]'] };
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
