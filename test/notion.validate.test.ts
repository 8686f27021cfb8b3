import { describe, expect, it } from "vitest";
import type { Attribute, EmbedSubType, Section } from "../src/notion/attributes.js";
import {
  color,
  date,
  datetime,
  dev,
  embed,
  enumValue,
  hexToRgb,
  image,
  plainText,
  relation,
  title,
} from "../src/notion/attributes.js";
import {
  AttributeValidationError,
  assertValidAttributes,
  LIMITS,
  RELATION_SECTIONS,
  SUB_TYPES_BY_SECTION,
  validateAttributes,
} from "../src/notion/validate.js";

/** The two attributes every set needs; each test adds the one thing it is about. */
const base = (): Attribute[] => [title("Fix the flaky test"), dev("Acme Inc.")];

/** Expects exactly one problem, about attribute `id`, whose message contains every fragment. */
function expectOneProblem(set: unknown, id: string, ...fragments: string[]): string {
  const result = validateAttributes(set);
  if (result.ok) throw new Error(`expected a failure for "${id}", got ok`);
  expect(result.errors, result.errors.join("\n")).toHaveLength(1);
  const [message] = result.errors as [string];
  expect(message).toContain(`attribute "${id}"`);
  for (const fragment of fragments) expect(message).toContain(fragment);
  return message;
}

function expectErrors(set: unknown): string[] {
  const result = validateAttributes(set);
  if (result.ok) throw new Error("expected a failure, got ok");
  return result.errors;
}

const with1 = (attribute: unknown): unknown[] => [...base(), attribute];

/** A raw inline attribute, for values the typed builders would not let us write. */
const rawInline = (id: string, inline: unknown) => ({ id, name: "Field", type: "inline", inline });
const rawEmbed = (id: string, value: unknown) => ({ id, name: "Media", type: "embed", embed: value });

describe("validateAttributes: valid sets", () => {
  /** Every builder, every section it may appear in. */
  const complete = (): Attribute[] => [
    title("Fix the flaky test"),
    dev("Acme Inc."),
    enumValue("state", "State", "Open", "primary", { r: 31, g: 136, b: 61 }),
    enumValue("kind", "Kind", "Bug", "primary"),
    date("due", "Due", "2024-02-29", "primary"),
    datetime("updated", "Updated", new Date("2024-05-01T10:20:30.000Z"), "secondary"),
    date("created", "Created", new Date("2023-12-31T23:00:00.000Z"), "secondary"),
    plainText("repo", "Repository", "acme/widgets", "primary"),
    plainText("number", "Number", "#42", "identifier"),
    plainText("author", "Author", "octocat", "avatar"),
    plainText("body", "Description", "Steps to reproduce…", "body"),
    image("logo", "Logo", "https://acme.test/logo.png", "identifier"),
    image("entity-image", "Repository picture", "https://acme.test/repo.png", "entity"),
    image("avatar-image", "Author picture", "https://avatars.acme.test/u/1?v=4", "avatar"),
    color("entity-color", "Colour", hexToRgb("#1f883d"), "entity"),
    color("background", "Background", { r: 0, g: 0, b: 255 }, "background"),
    image("screenshot", "Screenshot", "https://acme.test/shot.png", "embed"),
    embed("video", "Video", "video", "https://acme.test/demo.mp4", "embed"),
    embed("audio", "Audio", "audio", "http://acme.test/demo.mp3", "embed"),
    embed("html", "Frame", "html", "https://acme.test/embed/42", "embed"),
    embed("pdf", "PDF", "pdf", "https://acme.test/spec.pdf", "embed"),
    relation("parent", "Parent", "https://acme.test/items/1", "primary"),
    relation("milestone", "Milestone", "https://acme.test/items/2", "secondary"),
    relation("project", "Project", "https://acme.test/items/3", "identifier"),
  ];

  it("accepts a complete set built with every builder and returns it typed", () => {
    const set = complete();
    const result = validateAttributes(set);
    expect(result).toEqual({ ok: true, attributes: set });
    expect(assertValidAttributes(set)).toEqual(set);
  });

  it("accepts the smallest set: title and dev", () => {
    expect(validateAttributes(base())).toEqual({ ok: true, attributes: base() });
  });

  it("survives a JSON round trip (what a provider or Notion actually sends)", () => {
    const set = JSON.parse(JSON.stringify(complete())) as unknown;
    expect(validateAttributes(set).ok).toBe(true);
  });

  it("accepts a title attribute under another id", () => {
    expect(validateAttributes([title("Heading", "heading", "Heading"), dev("Acme")]).ok).toBe(true);
  });

  it("accepts the boundaries: lengths at their cap, colour channels 0 and 255, leap day", () => {
    const set = [
      title("t".repeat(LIMITS.title)),
      dev("Acme"),
      plainText("body", "Body", "b".repeat(LIMITS.plainText), "body"),
      enumValue("e", "E", "e".repeat(LIMITS.enum), "primary"),
      color("c", "C", { r: 0, g: 255, b: 128 }, "background"),
      date("leap", "Leap", "2000-02-29", "secondary"),
      rawInline("dt-offset", { datetime: { value: "2024-05-01T10:20:30+02:00", section: "secondary" } }),
      rawInline("dt-ms", { datetime: { value: "2024-05-01T10:20:30.123456Z", section: "secondary" } }),
      rawInline("plain-empty", { plain_text: { value: "", section: "body" } }),
    ];
    expect(validateAttributes(set)).toMatchObject({ ok: true });
  });
});

describe("validateAttributes: the section × sub-type table", () => {
  const sections = Object.keys(SUB_TYPES_BY_SECTION) as Section[];
  const embedTypes: EmbedSubType[] = ["image", "video", "audio", "html", "pdf"];
  const subTypes = ["title", "plain_text", "enum", "date", "datetime", "color", ...embedTypes] as const;

  /** One attribute of `subType` in `section`, built the way a provider would. */
  function make(subType: (typeof subTypes)[number], section: Section): Attribute {
    const id = `probe-${subType}`;
    switch (subType) {
      case "title":
        return { id, name: "Probe", type: "inline", inline: { title: { value: "x", section } } };
      case "plain_text":
        return plainText(id, "Probe", "x", section);
      case "enum":
        return enumValue(id, "Probe", "x", section);
      case "date":
        return date(id, "Probe", "2024-01-02", section);
      case "datetime":
        return datetime(id, "Probe", "2024-01-02T03:04:05Z", section);
      case "color":
        return color(id, "Probe", { r: 1, g: 2, b: 3 }, section);
      default:
        return embed(id, "Probe", subType, "https://acme.test/x", section);
    }
  }

  it("matches the protocol page's table exactly", () => {
    expect(SUB_TYPES_BY_SECTION).toEqual({
      title: ["title"],
      primary: ["enum", "date", "datetime", "plain_text"],
      secondary: ["date", "datetime", "plain_text"],
      identifier: ["image", "plain_text"],
      entity: ["color", "image"],
      avatar: ["image", "plain_text"],
      body: ["plain_text"],
      embed: ["audio", "html", "image", "pdf", "video"],
      background: ["color"],
    });
    expect(RELATION_SECTIONS).toEqual(["primary", "secondary", "identifier"]);
  });

  for (const section of sections) {
    for (const subType of subTypes) {
      const valid = (SUB_TYPES_BY_SECTION[section] as readonly string[]).includes(subType);
      // a title attribute is always there; a probe title is a second title, covered below
      if (subType === "title") continue;
      it(`${valid ? "accepts" : "rejects"} ${subType} in ${section}`, () => {
        const set = with1(make(subType, section));
        if (valid) expect(validateAttributes(set)).toMatchObject({ ok: true });
        else expectOneProblem(set, `probe-${subType}`, `${subType} is not valid in section "${section}"`);
      });
    }
  }

  it("rejects a title outside the title section (and does not also call it missing)", () => {
    const set = [make("title", "primary"), dev("Acme")];
    expectOneProblem(set, "probe-title", 'title is not valid in section "primary"');
  });

  for (const section of sections) {
    const valid = RELATION_SECTIONS.includes(section);
    it(`${valid ? "accepts" : "rejects"} a relation mentioned in ${section}`, () => {
      const set = with1(relation("rel", "Related", "https://acme.test/items/9", section));
      if (valid) expect(validateAttributes(set)).toMatchObject({ ok: true });
      else expectOneProblem(set, "rel", `section "${section}"`);
    });
  }

  it("names the brief's examples: enum in body, image in primary, color in secondary", () => {
    expectOneProblem(with1(enumValue("state", "State", "Open", "body")), "state", "enum", '"body"');
    expectOneProblem(with1(image("pic", "Picture", "https://acme.test/p.png", "primary")), "pic", "image", '"primary"');
    expectOneProblem(with1(color("tint", "Tint", { r: 1, g: 2, b: 3 }, "secondary")), "tint", "color", '"secondary"');
  });

  it("rejects an unknown section", () => {
    expectOneProblem(with1(rawInline("x", { plain_text: { value: "v", section: "footer" } })), "x", "section", '"footer"');
    expectOneProblem(with1(rawEmbed("m", { src_url: "https://acme.test/a", image: { section: "hero" } })), "m", '"hero"');
    expectOneProblem(
      with1({ id: "r", name: "R", type: "relation", relation: { uri: "https://acme.test/1", mention: { section: "side" } } }),
      "r",
      '"side"',
    );
  });
});

describe("validateAttributes: title and dev", () => {
  it("reports a missing title", () => {
    expectOneProblem([dev("Acme")], "title", "missing");
  });

  it("reports a missing dev attribute", () => {
    expectOneProblem([title("T")], "dev", "missing");
  });

  it("reports both for an empty set", () => {
    const errors = expectErrors([]);
    expect(errors).toHaveLength(2);
    expect(errors.join("\n")).toMatch(/attribute "title".*missing[\s\S]*attribute "dev".*missing/);
  });

  it("rejects an empty or blank title", () => {
    expectOneProblem([title(""), dev("Acme")], "title", "must not be empty");
    expectOneProblem([title("   "), dev("Acme")], "title", "must not be empty");
  });

  it(`rejects a title longer than ${LIMITS.title} characters`, () => {
    expectOneProblem([title("t".repeat(LIMITS.title + 1)), dev("Acme")], "title", `longer than ${LIMITS.title}`);
  });

  it("rejects a second title attribute, naming it", () => {
    expectOneProblem(with1(title("Again", "title-2")), "title-2", "another title");
  });

  it("rejects dev in the wrong section", () => {
    expectOneProblem([title("T"), plainText("dev", "Developer Name", "Acme", "primary")], "dev", '"secondary"', '"primary"');
  });

  it("rejects dev of another sub-type", () => {
    expectOneProblem([title("T"), enumValue("dev", "Developer Name", "Acme", "primary")], "dev", "plain_text");
  });

  it("rejects an empty dev value", () => {
    expectOneProblem([title("T"), dev(" ")], "dev", "empty");
  });

  it("reports a malformed dev once, not also as missing", () => {
    expectOneProblem([title("T"), rawInline("dev", { plain_text: { value: 7, section: "secondary" } })], "dev", "value");
  });
});

describe("validateAttributes: ids and names", () => {
  it("rejects duplicate ids, naming the id and where", () => {
    const set = with1(plainText("dev", "Developer Name", "Other Inc.", "secondary"));
    expectOneProblem(set, "dev", "2 times", "#1", "#2");
  });

  it("rejects an empty, blank or missing id", () => {
    for (const id of ["", "  "]) {
      const message = expectErrors(with1(plainText(id, "Name", "v", "body")));
      expect(message).toHaveLength(1);
      expect(message[0]).toMatch(/attribute #2 \(no id\): id: must not be empty/);
    }
    const [noId] = expectErrors(with1({ name: "Name", type: "inline", inline: { plain_text: { value: "v", section: "body" } } }));
    expect(noId).toMatch(/attribute #2 \(no id\): id: /);
  });

  it("rejects an empty name", () => {
    expectOneProblem(with1(plainText("x", "", "v", "body")), "x", "name", "must not be empty");
  });

  it("rejects an unknown top-level key", () => {
    expectOneProblem(with1({ ...plainText("x", "X", "v", "body"), value: "v" }), "x", 'unknown key "value"');
  });
});

describe("validateAttributes: shapes", () => {
  it("rejects a set that is not an array", () => {
    for (const notArray of [undefined, null, "[]", 42, { attributes: base() }, { 0: title("T"), length: 1 }]) {
      const errors = expectErrors(notArray);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("must be an array");
    }
  });

  it("rejects elements that are not objects, naming their index", () => {
    const errors = expectErrors([...base(), 42, null, "x", []]);
    expect(errors).toHaveLength(4);
    errors.forEach((e, i) => expect(e).toMatch(new RegExp(`^attribute #${i + 2} \\(no id\\): must be an object with type`)));
  });

  it("rejects an unknown or missing type", () => {
    expectOneProblem(with1({ id: "x", name: "X", type: "block", inline: { plain_text: { value: "v", section: "body" } } }), "x", '"block"');
    expectOneProblem(with1({ id: "y", name: "Y", inline: { plain_text: { value: "v", section: "body" } } }), "y", "type", "none");
  });

  it("rejects a type whose value key is missing or mismatched", () => {
    const errors = expectErrors(with1({ id: "x", name: "X", type: "embed", inline: { plain_text: { value: "v", section: "body" } } }));
    expect(errors).toEqual([
      expect.stringMatching(/^attribute "x" \(#2\): embed: /),
      'attribute "x" (#2): unknown key "inline"',
    ]);
  });

  it("rejects an inline value with no, two or an unknown sub-type", () => {
    expectOneProblem(with1(rawInline("none", {})), "none", "exactly one sub-type", "found none");
    expectOneProblem(
      with1(rawInline("two", { plain_text: { value: "a", section: "body" }, date: { value: "2024-01-01", section: "primary" } })),
      "two",
      "found plain_text, date",
    );
    const errors = expectErrors(with1(rawInline("typo", { "plain-text": { value: "a", section: "body" } })));
    expect(errors.every((e) => e.includes('attribute "typo"'))).toBe(true);
    expect(errors.join("\n")).toContain('unknown key "plain-text"');
  });

  it("rejects wrong value types", () => {
    expectOneProblem(with1(rawInline("n", { plain_text: { value: 42, section: "body" } })), "n", "inline.plain_text.value");
    expectOneProblem(with1(rawInline("s", { plain_text: { value: "v" } })), "s", "inline.plain_text.section");
  });

  it(`caps lengths: plain_text ${LIMITS.plainText}, enum ${LIMITS.enum}, id ${LIMITS.id}, name ${LIMITS.name}`, () => {
    expectOneProblem(with1(plainText("long", "Long", "x".repeat(LIMITS.plainText + 1), "body")), "long", `longer than ${LIMITS.plainText}`);
    expectOneProblem(with1(enumValue("pill", "Pill", "x".repeat(LIMITS.enum + 1), "primary")), "pill", `longer than ${LIMITS.enum}`);
    expectOneProblem(with1(plainText("v", "n".repeat(LIMITS.name + 1), "v", "body")), "v", "name", `longer than ${LIMITS.name}`);
    expect(expectErrors(with1(plainText("i".repeat(LIMITS.id + 1), "N", "v", "body")))[0]).toContain(`longer than ${LIMITS.id}`);
  });
});

describe("validateAttributes: dates and datetimes", () => {
  for (const bad of ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-2-3", "24-02-03", "2024-02-03T00:00:00Z", "tomorrow", ""]) {
    it(`rejects the date ${JSON.stringify(bad)}`, () => {
      expectOneProblem(with1(rawInline("due", { date: { value: bad, section: "primary" } })), "due", "inline.date.value", "YYYY-MM-DD");
    });
  }

  for (const bad of [
    "2024-02-03", // no time
    "2024-02-03T10:20:30", // no offset
    "2024-02-03 10:20:30Z", // space separator
    "2024-02-30T10:20:30Z", // no such day
    "2024-02-03T24:00:00Z",
    "2024-02-03T10:20Z", // no seconds
    "2024-02-03T10:20:30+2:00",
    "Sat, 03 Feb 2024 10:20:30 GMT",
  ]) {
    it(`rejects the datetime ${JSON.stringify(bad)}`, () => {
      expectOneProblem(with1(rawInline("at", { datetime: { value: bad, section: "secondary" } })), "at", "inline.datetime.value", "ISO 8601");
    });
  }

  it("accepts the datetimes the builder and other systems produce", () => {
    for (const good of ["2024-02-03T10:20:30Z", "2024-02-03T10:20:30.000Z", "2024-02-03T10:20:30-05:00", "2024-02-29T23:59:59+14:00"]) {
      expect(validateAttributes(with1(rawInline("at", { datetime: { value: good, section: "secondary" } }))).ok, good).toBe(true);
    }
  });
});

describe("validateAttributes: colours", () => {
  const colourAt = (value: unknown) => with1(rawInline("tint", { color: { value, section: "background" } }));

  it("rejects a channel of 256, -1 or 1.5, naming the channel", () => {
    expectOneProblem(colourAt({ r: 256, g: 0, b: 0 }), "tint", "inline.color.value.r", "0–255", "256");
    expectOneProblem(colourAt({ r: 0, g: -1, b: 0 }), "tint", "inline.color.value.g", "-1");
    expectOneProblem(colourAt({ r: 0, g: 0, b: 1.5 }), "tint", "inline.color.value.b", "1.5");
  });

  it("rejects a string channel, a missing channel and an extra key", () => {
    expectOneProblem(colourAt({ r: "255", g: 0, b: 0 }), "tint", "value.r");
    expectOneProblem(colourAt({ r: 1, g: 2 }), "tint", "value.b", "required");
    expectOneProblem(colourAt({ r: 1, g: 2, b: 3, a: 4 }), "tint", 'unknown key "a"');
    expectOneProblem(colourAt("#ff0000"), "tint", "inline.color.value");
  });

  it("checks an enum's optional colour too", () => {
    expectOneProblem(with1(enumValue("state", "State", "Open", "primary", { r: 0, g: 300, b: 0 })), "state", "inline.enum.color.g");
  });
});

describe("validateAttributes: embeds and relations", () => {
  it("rejects an embed with two sub-types or none", () => {
    expectOneProblem(
      with1(rawEmbed("m", { src_url: "https://acme.test/a", image: { section: "embed" }, video: { section: "embed" } })),
      "m",
      "exactly one of",
      "found image, video",
    );
    expectOneProblem(with1(rawEmbed("m", { src_url: "https://acme.test/a" })), "m", "found none");
  });

  it("rejects a missing src_url", () => {
    expectOneProblem(with1(rawEmbed("m", { image: { section: "embed" } })), "m", "embed.src_url");
  });

  for (const bad of [
    "/images/a.png",
    "images/a.png",
    "//acme.test/a.png",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:image/png;base64,AAAA",
    "ftp://acme.test/a.png",
    "https:acme.test/a.png",
    "https://",
    "",
  ]) {
    it(`rejects the src_url ${JSON.stringify(bad)}`, () => {
      expectOneProblem(with1(image("pic", "Picture", bad, "embed")), "pic", "embed.src_url", "absolute http(s) URL");
    });
  }

  it(`rejects a src_url longer than ${LIMITS.url}`, () => {
    const url = `https://acme.test/${"a".repeat(LIMITS.url)}`;
    expectOneProblem(with1(image("pic", "Picture", url, "embed")), "pic", `longer than ${LIMITS.url}`);
  });

  it("rejects a relation whose uri is not an absolute http(s) URL, or without mention", () => {
    expectOneProblem(with1(relation("rel", "Related", "items/1", "primary")), "rel", "relation.uri");
    expectOneProblem(with1({ id: "rel", name: "R", type: "relation", relation: { uri: "https://acme.test/1" } }), "rel", "relation.mention");
  });
});

describe("validateAttributes: reporting", () => {
  it("reports every problem at once, each naming its attribute", () => {
    const errors = expectErrors([
      title(""),
      plainText("dev", "Developer Name", "Acme", "body"),
      enumValue("state", "State", "Open", "body"),
      date("due", "Due", "2024-01-01", "primary"),
      rawInline("due", { date: { value: "2024-02-30", section: "primary" } }),
    ]);
    expect(errors).toHaveLength(5);
    for (const id of ["title", "dev", "state", "due"]) expect(errors.some((e) => e.includes(`attribute "${id}"`)), id).toBe(true);
  });

  it("assertValidAttributes throws an error listing every problem", () => {
    const set = [title("T"), enumValue("state", "State", "Open", "body")];
    let thrown: unknown;
    try {
      assertValidAttributes(set);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AttributeValidationError);
    expect(thrown).toBeInstanceOf(Error);
    const error = thrown as AttributeValidationError;
    expect(error.errors).toHaveLength(2);
    expect(error.message).toContain("2 problems");
    for (const e of error.errors) expect(error.message).toContain(e);
  });

  it("returns fresh copies, so later mutation of the input does not change the result", () => {
    const set = base();
    const result = assertValidAttributes(set);
    expect(result).not.toBe(set);
    expect(result[0]).not.toBe(set[0]);
    expect(result).toEqual(set);
  });
});

describe("builders", () => {
  it("produce exactly the protocol's JSON", () => {
    const set = [
      title("Fix the flaky test"),
      dev("Acme Inc."),
      enumValue("state", "State", "Open", "primary", hexToRgb("1f883d")),
      enumValue("kind", "Kind", "Bug", "primary"),
      date("due", "Due date", new Date("2024-03-05T12:00:00Z"), "primary"),
      datetime("updated", "Updated", "2024-03-05T12:34:56Z", "secondary"),
      plainText("body", "Description", "Steps to reproduce", "body"),
      color("bg", "Background", { r: 10, g: 20, b: 30 }, "background"),
      image("avatar", "Author", "https://acme.test/u/1.png", "avatar"),
      embed("frame", "Preview", "html", "https://acme.test/embed/1", "embed"),
      relation("parent", "Parent", "https://acme.test/items/1", "primary"),
    ];
    // written out by hand from the protocol page, not from the builders' code
    const expected = `[
      {"id":"title","name":"Title","type":"inline","inline":{"title":{"value":"Fix the flaky test","section":"title"}}},
      {"id":"dev","name":"Developer Name","type":"inline","inline":{"plain_text":{"value":"Acme Inc.","section":"secondary"}}},
      {"id":"state","name":"State","type":"inline","inline":{"enum":{"value":"Open","color":{"r":31,"g":136,"b":61},"section":"primary"}}},
      {"id":"kind","name":"Kind","type":"inline","inline":{"enum":{"value":"Bug","section":"primary"}}},
      {"id":"due","name":"Due date","type":"inline","inline":{"date":{"value":"2024-03-05","section":"primary"}}},
      {"id":"updated","name":"Updated","type":"inline","inline":{"datetime":{"value":"2024-03-05T12:34:56.000Z","section":"secondary"}}},
      {"id":"body","name":"Description","type":"inline","inline":{"plain_text":{"value":"Steps to reproduce","section":"body"}}},
      {"id":"bg","name":"Background","type":"inline","inline":{"color":{"value":{"r":10,"g":20,"b":30},"section":"background"}}},
      {"id":"avatar","name":"Author","type":"embed","embed":{"src_url":"https://acme.test/u/1.png","image":{"section":"avatar"}}},
      {"id":"frame","name":"Preview","type":"embed","embed":{"src_url":"https://acme.test/embed/1","html":{"section":"embed"}}},
      {"id":"parent","name":"Parent","type":"relation","relation":{"uri":"https://acme.test/items/1","mention":{"section":"primary"}}}
    ]`;
    // compare serialised JSON: it is what goes on the wire, and catches `undefined` keys toEqual ignores
    expect(JSON.parse(JSON.stringify(set))).toStrictEqual(JSON.parse(expected));
    expect(Object.keys(set[3] as object)).toEqual(["id", "name", "type", "inline"]);
    expect("color" in ((set[3] as { inline: { enum: object } }).inline.enum)).toBe(false);
    expect(validateAttributes(set).ok).toBe(true);
  });

  it("date keeps the UTC calendar day; datetime keeps the full instant", () => {
    expect(date("d", "D", "2024-03-05T23:30:00-02:00", "primary")).toMatchObject({
      inline: { date: { value: "2024-03-06" } },
    });
    expect(datetime("t", "T", "2024-03-05T23:30:00-02:00", "secondary")).toMatchObject({
      inline: { datetime: { value: "2024-03-06T01:30:00.000Z" } },
    });
  });

  it("date and datetime refuse an invalid date rather than emit garbage", () => {
    expect(() => date("d", "D", "not a date", "primary")).toThrow(RangeError);
    expect(() => datetime("t", "T", new Date(Number.NaN), "secondary")).toThrow(RangeError);
  });
});

describe("hexToRgb", () => {
  it.each([
    ["#ff8000", { r: 255, g: 128, b: 0 }],
    ["FF8000", { r: 255, g: 128, b: 0 }],
    ["1f883d", { r: 31, g: 136, b: 61 }],
    ["#000000", { r: 0, g: 0, b: 0 }],
    ["ffffff", { r: 255, g: 255, b: 255 }],
  ])("%s → %o", (hex, rgb) => {
    expect(hexToRgb(hex)).toStrictEqual(rgb);
  });

  it.each(["", "#", "fff", "#fff", "#gg0000", "#1234567", "ff 800", "##ff8000", " ff8000"])("rejects %j", (hex) => {
    expect(() => hexToRgb(hex)).toThrow(RangeError);
  });

  it("gives colours the validator accepts", () => {
    expect(validateAttributes(with1(color("c", "C", hexToRgb("#abcdef"), "entity"))).ok).toBe(true);
  });
});
