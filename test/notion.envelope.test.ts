import { describe, expect, it } from "vitest";
import { dev, title } from "../src/notion/attributes.js";
import { attributesEnvelope, errorEnvelope } from "../src/notion/envelope.js";

const uri = "https://github.com/acme/widgets/issues/42";

/** What goes on the wire: JSON, so `undefined` keys and prototypes cannot hide a difference. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("attributesEnvelope", () => {
  it("is exactly the protocol's attributes operation", () => {
    const set = [title("Fix the flaky test"), dev("Acme Inc.")];
    expect(wire(attributesEnvelope(uri, set))).toStrictEqual({
      uri,
      operations: [
        {
          path: ["attributes"],
          set: [
            { id: "title", name: "Title", type: "inline", inline: { title: { value: "Fix the flaky test", section: "title" } } },
            { id: "dev", name: "Developer Name", type: "inline", inline: { plain_text: { value: "Acme Inc.", section: "secondary" } } },
          ],
        },
      ],
    });
  });

  it("echoes the uri unchanged and keeps the set's order", () => {
    const odd = "https://acme.test/items/1?x=%20y#frag";
    const set = [dev("Acme"), title("T")];
    const envelope = attributesEnvelope(odd, set);
    expect(envelope.uri).toBe(odd);
    expect(wire(envelope)).toMatchObject({ operations: [{ set: [{ id: "dev" }, { id: "title" }] }] });
  });

  it("has one operation and no other keys", () => {
    const envelope = attributesEnvelope(uri, []);
    expect(Object.keys(envelope)).toEqual(["uri", "operations"]);
    expect(envelope.operations).toHaveLength(1);
    expect(Object.keys(envelope.operations[0])).toEqual(["path", "set"]);
  });
});

describe("errorEnvelope", () => {
  it("is exactly the protocol's error operation", () => {
    expect(wire(errorEnvelope(uri, 404, "Content not found"))).toStrictEqual({
      uri,
      operations: [{ path: ["error"], set: { status: 404, message: "Content not found" } }],
    });
  });

  it("serialises to the protocol page's JSON text", () => {
    expect(JSON.stringify(errorEnvelope("https://acme.test/x", 403, "No access"))).toBe(
      '{"uri":"https://acme.test/x","operations":[{"path":["error"],"set":{"status":403,"message":"No access"}}]}',
    );
  });

  it("keeps status a number and has no other keys", () => {
    const envelope = errorEnvelope(uri, 500, "Upstream failed");
    const [operation] = envelope.operations;
    expect(Object.keys(operation)).toEqual(["path", "set"]);
    expect(Object.keys(operation.set)).toEqual(["status", "message"]);
    expect(operation.set).toStrictEqual({ status: 500, message: "Upstream failed" });
  });
});
