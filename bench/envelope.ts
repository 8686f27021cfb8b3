import { validateAttributes } from "../src/notion/validate.js";

/**
 * Why `body` is not an attributes envelope for `uri` carrying a non-empty, valid attribute set;
 * null when it is one.
 */
export function envelopeProblem(body: unknown, uri: string): string | null {
  if (!body || typeof body !== "object") return "the body is not a JSON object";
  const { uri: answered, operations } = body as { uri?: unknown; operations?: unknown };
  if (answered !== uri) return `the envelope is for ${JSON.stringify(answered)}, not ${uri}`;
  if (!Array.isArray(operations) || operations.length !== 1) return "the envelope does not hold exactly one operation";
  const op = operations[0] as { path?: unknown; set?: unknown };
  if (JSON.stringify(op.path) !== '["attributes"]') return `the operation is ${JSON.stringify(op.path)}, not ["attributes"]`;
  if (!Array.isArray(op.set) || op.set.length === 0) return "the attribute set is empty";
  const checked = validateAttributes(op.set);
  return checked.ok ? null : `the attribute set is invalid: ${checked.errors.join("; ")}`;
}
