import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import { buildConnector } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetcher, type GuardedFetcher, type GuardedFetcherOptions, type GuardedRequest } from "../src/fetch/client.js";
import type { Dialer } from "../src/fetch/connector.js";
import { FetchFailed, FetchRefused, type RefusalReason } from "../src/fetch/errors.js";
import { html, redirect, startPageServer, type PageServer } from "./fixtures/web/server.js";

/**
 * The SSRF guard, proven on loopback. Names are mapped by an injected resolver; the guard runs
 * with FETCH_ALLOW_PRIVATE off unless a test needs a first hop on loopback (redirect tests), and
 * then every redirect target it must refuse is one that stays refused in that mode too. Where a
 * mistake would reach an address outside this machine, the test's dialer refuses to dial and
 * records the attempt instead, so a broken guard fails the test without sending any traffic.
 */

let server: PageServer;
const fetchers: GuardedFetcher[] = [];

const PAGE = "<html><head><title>ok</title></head><body>hello</body></html>";
const BOMB_BYTES = 64 * 1024 * 1024;
let gzipBomb: Buffer;
let brotliBomb: Buffer;

beforeAll(async () => {
  gzipBomb = gzipSync(Buffer.alloc(BOMB_BYTES), { level: 9 });
  brotliBomb = brotliCompressSync(Buffer.alloc(BOMB_BYTES), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  server = await startPageServer({
    "/": html(PAGE),
    "/secret": html("<title>internal</title>"),
    "/gzip": (_req, res) => void res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipSync(PAGE)),
    "/deflate": (_req, res) => void res.writeHead(200, { "content-type": "text/html", "content-encoding": "deflate" }).end(deflateSync(PAGE)),
    "/br": (_req, res) => void res.writeHead(200, { "content-type": "text/html", "content-encoding": "br" }).end(brotliCompressSync(PAGE)),
    "/compress": (_req, res) => void res.writeHead(200, { "content-type": "text/html", "content-encoding": "compress" }).end("x"),
    "/gzip-bomb": (_req, res) => void res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipBomb),
    "/br-bomb": (_req, res) => void res.writeHead(200, { "content-type": "text/html", "content-encoding": "br" }).end(brotliBomb),
    "/huge": (_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end(Buffer.alloc(5 * 1024 * 1024, "a")),
    "/png": (_req, res) => void res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(64)),
    "/octets": (_req, res) => void res.writeHead(200, { "content-type": "application/octet-stream" }).end("x"),
    "/untyped": (_req, res) => {
      res.removeHeader("content-type");
      res.writeHead(200).end("<title>x</title>");
    },
    "/missing": (_req, res) => void res.writeHead(404, { "content-type": "text/plain" }).end("nope"),
    "/drip": (req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.write("<html><head>");
      // a byte every 50 ms; bounded, and stopped as soon as the client goes away
      let sent = 0;
      const timer = setInterval(() => (++sent > 400 ? res.end() : res.write(" ")), 50);
      req.socket.on("close", () => clearInterval(timer));
    },
    "/hang": (req) => void req.socket.setTimeout(10_000),
    "/to-loopback-literal": (_req, res) => redirect(`http://127.0.0.1:${server.port}/secret`)(_req, res),
    "/to-decimal-literal": (_req, res) => redirect(`http://2130706433:${server.port}/secret`)(_req, res),
    "/to-metadata-literal": redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    "/to-metadata-name": (_req, res) => redirect(`http://metadata.test:${server.port}/latest/meta-data/`)(_req, res),
    "/to-mapped-literal": (_req, res) => redirect(`http://[::ffff:127.0.0.1]:${server.port}/secret`)(_req, res),
    "/to-file": redirect("file:///etc/passwd"),
    "/to-ssh-port": redirect("http://site.test:22/"),
    "/to-credentials": (_req, res) => redirect(`http://admin:admin@site.test:${server.port}/secret`)(_req, res),
    "/no-location": (_req, res) => void res.writeHead(301).end(),
    "/relative": redirect("/", 308),
    "/r1": redirect("/r2", 301),
    "/r2": redirect("/r3", 307),
    "/r3": redirect("/", 303),
    "/r0": redirect("/r1"),
  });
});

afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

afterAll(async () => {
  await server.close();
});

interface Recorder {
  lookups: string[];
  dials: string[];
}

/** A resolver over a fixed table (answers may change per call), recording each lookup. */
function resolverFor(table: Record<string, string[] | (() => string[])>, rec: Recorder) {
  return async (hostname: string) => {
    rec.lookups.push(hostname);
    const answer = table[hostname];
    if (!answer) throw Object.assign(new Error(`no such host ${hostname}`), { code: "ENOTFOUND" });
    return typeof answer === "function" ? answer() : answer;
  };
}

const realDial = buildConnector({ timeout: 2_000 });

/** Dials only loopback for real; anything else is recorded and refused, never attempted. */
function loopbackOnlyDial(rec: Recorder): Dialer {
  return (opts, callback) => {
    rec.dials.push(opts.hostname);
    if (opts.hostname === "127.0.0.1" || opts.hostname === "::1") return realDial(opts, callback);
    callback(new Error(`test dialer: will not dial ${opts.hostname}`), null);
  };
}

function guard(opts: GuardedFetcherOptions & { table?: Record<string, string[] | (() => string[])> } = {}) {
  const rec: Recorder = { lookups: [], dials: [] };
  const fetcher = createGuardedFetcher({
    allowPrivate: false,
    allowedPorts: [server.port],
    timeoutMs: 2_000,
    resolve: resolverFor({ "site.test": ["127.0.0.1"], ...opts.table }, rec),
    dial: loopbackOnlyDial(rec),
    ...opts,
  });
  fetchers.push(fetcher);
  return { fetcher, rec };
}

const HTML_REQUEST: GuardedRequest = { accept: "text/html", contentTypes: ["text/html"], maxBytes: 1024 * 1024 };

async function refusal(promise: Promise<unknown>): Promise<RefusalReason | string> {
  try {
    const value = await promise;
    return `resolved ${JSON.stringify(value)?.slice(0, 60)}`;
  } catch (err) {
    if (err instanceof FetchRefused) return err.reason;
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

async function read(fetcher: GuardedFetcher, url: string, request: GuardedRequest = HTML_REQUEST) {
  const res = await fetcher.fetch(url, request);
  return { res, text: await res.text() };
}

describe("guarded fetcher: addresses (FETCH_ALLOW_PRIVATE off)", () => {
  it("reaches nothing on this machine: a name resolving to 127.0.0.1 is refused before connecting", async () => {
    const { fetcher, rec } = guard({ table: { "evil.test": ["127.0.0.1"] } });
    const before = server.connections();
    expect(await refusal(fetcher.fetch(server.url("evil.test"), HTML_REQUEST))).toBe("private-address");
    expect(rec.dials).toEqual([]);
    expect(server.connections()).toBe(before);
  });

  it.each([
    ["169.254.169.254"],
    ["10.0.0.1"],
    ["192.168.1.1"],
    ["100.64.0.1"],
    ["0.0.0.0"],
    ["::1"],
    ["::ffff:127.0.0.1"],
    ["::ffff:169.254.169.254"],
    ["fd00:ec2::254"],
    ["fe80::1"],
    ["64:ff9b::a9fe:a9fe"],
    ["224.0.0.251"],
  ])("refuses a name resolving to %s without dialling", async (address) => {
    const { fetcher, rec } = guard({ table: { "evil.test": [address] } });
    expect(await refusal(fetcher.fetch(server.url("evil.test"), HTML_REQUEST))).toBe("private-address");
    expect(rec.dials).toEqual([]);
  });

  it("refuses a mixed answer (one public, one private address) as a whole", async () => {
    const { fetcher, rec } = guard({ table: { "mixed.test": ["93.184.216.34", "127.0.0.1"] } });
    expect(await refusal(fetcher.fetch(server.url("mixed.test"), HTML_REQUEST))).toBe("private-address");
    expect(rec.dials).toEqual([]);
  });

  it("refuses IP literals in every spelling before any lookup or connection", async () => {
    const { fetcher, rec } = guard();
    const before = server.connections();
    const hosts = ["127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "127.0.0.1.", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0"];
    for (const host of hosts) {
      expect(await refusal(fetcher.fetch(`http://${host}:${server.port}/secret`, HTML_REQUEST)), host).toBe("ip-literal");
    }
    expect(rec.lookups).toEqual([]);
    expect(server.connections()).toBe(before);
    expect(server.requests.filter((r) => r.path === "/secret")).toEqual([]);
  });

  it("DNS rebinding: the address it checked is the one it dials; no second lookup", async () => {
    const answers = [["93.184.216.34"], ["127.0.0.1"]];
    const { fetcher, rec } = guard({ table: { "rebind.test": () => answers.shift() ?? ["127.0.0.1"] } });
    const outcome = fetcher.fetch(server.url("rebind.test"), HTML_REQUEST);
    await expect(outcome).rejects.toBeInstanceOf(FetchFailed);
    // the (refusing) test dialer was asked for the checked public address, never for a name
    expect(rec.lookups).toEqual(["rebind.test"]);
    expect(rec.dials).toEqual(["93.184.216.34"]);
  });

  it("DNS rebinding: a socket that lands on a private address is refused before a request is written", async () => {
    const rec: Recorder = { lookups: [], dials: [] };
    const fetcher = createGuardedFetcher({
      allowedPorts: [server.port],
      resolve: resolverFor({ "rebind.test": ["93.184.216.34"] }, rec),
      // the network delivers the connection somewhere else than the address we checked
      dial: (opts, callback) => {
        rec.dials.push(opts.hostname);
        realDial({ ...opts, hostname: "127.0.0.1" }, callback);
      },
    });
    fetchers.push(fetcher);
    const requests = server.requests.length;
    const connections = server.connections();
    expect(await refusal(fetcher.fetch(server.url("rebind.test", "/secret"), HTML_REQUEST))).toBe("private-address");
    expect(rec.dials).toEqual(["93.184.216.34"]);
    expect(server.connections()).toBe(connections + 1);
    expect(server.requests.length).toBe(requests);
  });

  it("refuses other schemes, credentials and ports", async () => {
    const { fetcher } = guard();
    expect(await refusal(fetcher.fetch("file:///etc/passwd", HTML_REQUEST))).toBe("scheme");
    expect(await refusal(fetcher.fetch("gopher://site.test:70/", HTML_REQUEST))).toBe("scheme");
    expect(await refusal(fetcher.fetch(`http://u:p@site.test:${server.port}/`, HTML_REQUEST))).toBe("credentials");
    expect(await refusal(fetcher.fetch("http://site.test:6379/", HTML_REQUEST))).toBe("port");
  });
});

describe("guarded fetcher: redirects (first hop on loopback with FETCH_ALLOW_PRIVATE)", () => {
  const dev = () => guard({ allowPrivate: true, table: { "metadata.test": ["169.254.169.254"] } });

  it.each([
    ["/to-loopback-literal", "ip-literal"],
    ["/to-decimal-literal", "ip-literal"],
    ["/to-mapped-literal", "ip-literal"],
    ["/to-metadata-literal", "ip-literal"],
    ["/to-metadata-name", "private-address"],
    ["/to-file", "scheme"],
    ["/to-ssh-port", "port"],
    ["/to-credentials", "credentials"],
    ["/no-location", "bad-redirect"],
  ])("re-checks every hop: %s is refused (%s)", async (path, reason) => {
    const { fetcher, rec } = dev();
    expect(await refusal(fetcher.fetch(server.url("site.test", path), HTML_REQUEST))).toBe(reason);
    expect(rec.dials.filter((d) => d !== "127.0.0.1")).toEqual([]);
    expect(server.requests.filter((r) => r.path.startsWith("/secret") || r.path.startsWith("/latest"))).toEqual([]);
  });

  it("follows up to three redirects (relative ones too) and refuses a fourth", async () => {
    const { fetcher } = dev();
    const three = await read(fetcher, server.url("site.test", "/r1"));
    expect([three.res.status, three.res.url, three.text]).toEqual([200, server.url("site.test", "/"), PAGE]);
    expect((await read(fetcher, server.url("site.test", "/relative"))).text).toBe(PAGE);
    expect(await refusal(fetcher.fetch(server.url("site.test", "/r0"), HTML_REQUEST))).toBe("too-many-redirects");
  });
});

describe("guarded fetcher: limits", () => {
  const dev = () => guard({ allowPrivate: true }).fetcher;

  it.each([["/gzip-bomb"], ["/br-bomb"]])("stops a decompression bomb (%s) at the decoded cap", async (path) => {
    const fetcher = dev();
    const res = await fetcher.fetch(server.url("site.test", path), HTML_REQUEST);
    expect(await refusal(res.text())).toBe("too-large");
    expect(res.counts.decoded).toBe(HTML_REQUEST.maxBytes);
    expect(res.counts.wire).toBeLessThan(BOMB_BYTES / 100);
  });

  it("lets a reader stop early without an error, and counts only what it read", async () => {
    const res = await dev().fetch(server.url("site.test", "/gzip-bomb"), HTML_REQUEST);
    let seen = 0;
    for await (const chunk of res.body()) {
      seen += chunk.length;
      if (seen >= 100_000) break;
    }
    expect(res.counts.decoded).toBe(seen);
    expect(seen).toBeLessThan(200_000);
  });

  it("refuses an oversized page after reading no more than the cap", async () => {
    const res = await dev().fetch(server.url("site.test", "/huge"), HTML_REQUEST);
    expect(await refusal(res.text())).toBe("too-large");
    expect(res.counts.wire).toBeLessThanOrEqual(HTML_REQUEST.maxBytes + 64 * 1024 + 64 * 1024);
  });

  it("a slow drip cannot hold a fetch past its deadline", async () => {
    const fetcher = guard({ allowPrivate: true, timeoutMs: 400 }).fetcher;
    const res = await fetcher.fetch(server.url("site.test", "/drip"), HTML_REQUEST);
    expect(await refusal(res.text())).toBe("timeout");
  });

  it("a server that never answers is a timeout, and so is the caller's abort", async () => {
    const fetcher = guard({ allowPrivate: true, timeoutMs: 400 }).fetcher;
    expect(await refusal(fetcher.fetch(server.url("site.test", "/hang"), HTML_REQUEST))).toBe("timeout");
    const patient = guard({ allowPrivate: true, timeoutMs: 60_000 }).fetcher;
    const caller = new AbortController();
    const pending = patient.fetch(server.url("site.test", "/hang"), { ...HTML_REQUEST, signal: caller.signal });
    caller.abort();
    expect(await refusal(pending)).toBe("timeout");
  });

  it("refuses answers that are not of an allowed content type, and unknown content codings", async () => {
    const fetcher = dev();
    for (const path of ["/png", "/octets", "/untyped"]) {
      expect(await refusal(fetcher.fetch(server.url("site.test", path), HTML_REQUEST)), path).toBe("content-type");
    }
    expect(await refusal(fetcher.fetch(server.url("site.test", "/compress"), HTML_REQUEST))).toBe("content-encoding");
  });

  it("answers error statuses as they are (the caller maps them), without a content-type check", async () => {
    const res = await dev().fetch(server.url("site.test", "/missing"), HTML_REQUEST);
    expect(res.status).toBe(404);
    res.close();
  });

  it("decodes gzip, deflate and brotli, and identifies itself", async () => {
    const fetcher = dev();
    for (const path of ["/gzip", "/deflate", "/br"]) expect((await read(fetcher, server.url("site.test", path))).text, path).toBe(PAGE);
    const last = server.requests.at(-1);
    expect(last?.headers["user-agent"]).toMatch(/NotionLinkPreview/);
    expect(last?.headers["accept-encoding"]).toBe("gzip, deflate, br");
    expect(last?.headers.accept).toBe("text/html");
  });
});
