import { TextDecoder } from "node:util";
/**
 * Which encoding a page's bytes are in, the way browsers decide (HTML's encoding sniffing, much
 * simplified): a byte order mark, else the HTTP `charset`, else a `<meta>` declaration in the
 * first 1024 bytes, else a guess. Labels go through TextDecoder, which with Node's full ICU knows
 * every label of the Encoding Standard (windows-1252, Shift_JIS, EUC-KR, GBK, KOI8-R …).
 *
 * Decode with `{ stream: true }` only: Node 20's one-shot `decode()` of windows-1252 takes a
 * Latin-1 fast path that drops the bytes 0x80–0x9F (curly quotes, dashes, €).
 */

export interface EncodingChoice {
  encoding: string;
  /**
   * `certain` (BOM, HTTP header) is never revised; `tentative` (meta prescan) gives way to a
   * declaration found later; `guess` is UTF-8 decoded strictly, falling back to windows-1252.
   */
  confidence: "certain" | "tentative" | "guess";
}

export const PRESCAN_BYTES = 1024;

/** A WHATWG label → the encoding's name, or null when unknown. A page cannot declare itself UTF-16. */
export function encodingForLabel(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    const name = new TextDecoder(label.trim()).encoding;
    if (name.startsWith("utf-16")) return "utf-8";
    return name;
  } catch {
    return null;
  }
}

export function bomEncoding(bytes: Uint8Array): EncodingChoice | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", confidence: "certain" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", confidence: "certain" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", confidence: "certain" };
  return null;
}

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/gi;

/** A `<meta charset>` or `http-equiv` declaration among the first bytes (comments skipped). */
export function prescan(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, PRESCAN_BYTES))
    .toString("latin1")
    .replace(/<!--[\s\S]*?-->/g, "");
  for (const m of head.matchAll(META_CHARSET)) {
    const encoding = encodingForLabel(m[1]);
    if (encoding) return encoding;
  }
  return null;
}

/** The encoding to start decoding with, from the first bytes and the HTTP header's charset. */
export function chooseEncoding(first: Uint8Array, headerCharset: string | null): EncodingChoice {
  const bom = bomEncoding(first);
  if (bom) return bom;
  const header = encodingForLabel(headerCharset);
  if (header) return { encoding: header, confidence: "certain" };
  const meta = prescan(first);
  if (meta) return { encoding: meta, confidence: "tentative" };
  return { encoding: "utf-8", confidence: "guess" };
}
