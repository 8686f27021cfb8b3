import type { Attribute } from "./attributes.js";

/** The body of an unfurl answer and of `PATCH /v1/external/object`. */
export type UnfurlEnvelope =
  | { uri: string; operations: [{ path: ["attributes"]; set: Attribute[] }] }
  | { uri: string; operations: [{ path: ["error"]; set: { status: number; message: string } }] };

export const attributesEnvelope = (uri: string, set: Attribute[]): UnfurlEnvelope => ({
  uri,
  operations: [{ path: ["attributes"], set }],
});

export const errorEnvelope = (uri: string, status: number, message: string): UnfurlEnvelope => ({
  uri,
  operations: [{ path: ["error"], set: { status, message } }],
});
