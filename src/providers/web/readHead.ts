import { TextDecoder } from "node:util";
import { chooseEncoding, encodingForLabel, PRESCAN_BYTES, type EncodingChoice } from "./charset.js";
import { createHeadScan, type HeadScan, type RawHead } from "./headScan.js";

/**
 * Bytes of a page → its raw metadata, reading no further than needed: chunks are decoded and
 * scanned as they arrive, and reading stops when the scan is done or the byte budget is spent.
 * Stopping the iteration is what aborts the download (the guarded body closes its socket).
 *
 * Decoding follows the page's declarations; if the markup declares a charset other than the one
 * tentatively chosen, or a guessed UTF-8 turns out invalid, the bytes read so far (at most the
 * budget) are decoded and scanned again, once.
 */

export const DEFAULT_HEAD_BUDGET = 256 * 1024;

export interface HeadRead {
  raw: RawHead;
  /** Decoded bytes scanned. */
  bytes: number;
  encoding: string;
}

export async function readHead(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: { headerCharset?: string | null; budget?: number } = {},
): Promise<HeadRead> {
  const budget = opts.budget ?? DEFAULT_HEAD_BUDGET;
  const held: Uint8Array[] = [];
  let total = 0;
  let state: Decoding | null = null;

  for await (const chunk of chunks) {
    const part = total + chunk.length > budget ? chunk.subarray(0, budget - total) : chunk;
    held.push(part);
    total += part.length;
    if (state) state.feed(part);
    else if (total >= PRESCAN_BYTES) state = new Decoding(chooseEncoding(concat(held), opts.headerCharset ?? null), held);
    if (state?.done || total >= budget) break;
  }
  state ??= new Decoding(chooseEncoding(concat(held), opts.headerCharset ?? null), held);
  return { raw: state.finish(), bytes: total, encoding: state.encoding };
}

/** One decoder + scan over the held bytes, able to start over once with a better encoding. */
class Decoding {
  private decoder!: TextDecoder;
  private scan!: HeadScan;
  private revised = false;
  private wanted: string | null = null;
  encoding = "";

  constructor(
    private choice: EncodingChoice,
    private readonly held: Uint8Array[],
  ) {
    this.start(choice);
  }

  get done(): boolean {
    return this.scan.done;
  }

  feed(bytes: Uint8Array): void {
    try {
      this.scan.write(this.decoder.decode(bytes, { stream: true }));
    } catch {
      // invalid UTF-8 under a guess: the page is in a legacy encoding
      return this.restart("windows-1252");
    }
    if (this.wanted) this.restart(this.wanted);
  }

  finish(): RawHead {
    try {
      this.scan.write(this.decoder.decode());
    } catch {
      // an incomplete sequence at the end is where the budget cut a character, not a legacy page
    }
    return this.scan.finish();
  }

  private start(choice: EncodingChoice): void {
    this.choice = choice;
    this.encoding = choice.encoding;
    this.wanted = null;
    // ignoreBOM: false means the decoder strips a leading BOM itself
    this.decoder = new TextDecoder(choice.encoding, { fatal: choice.confidence === "guess", ignoreBOM: false });
    this.scan = createHeadScan({
      onCharset: (label) => {
        const declared = encodingForLabel(label);
        if (this.choice.confidence !== "certain" && declared && declared !== this.encoding) this.wanted = declared;
      },
    });
    for (const bytes of this.held) {
      if (this.scan.done || this.wanted) break;
      try {
        this.scan.write(this.decoder.decode(bytes, { stream: true }));
      } catch {
        if (this.revised) throw new Error("windows-1252 cannot fail to decode");
        return this.restart("windows-1252");
      }
    }
    if (this.wanted) this.restart(this.wanted);
  }

  private restart(encoding: string): void {
    if (this.revised) {
      this.wanted = null;
      return;
    }
    this.revised = true;
    this.start({ encoding, confidence: "certain" });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
}
