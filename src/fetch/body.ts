import { PassThrough, Transform, pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { FetchRefused } from "./errors.js";

/**
 * A response body as decoded bytes under a cap. Decompression happens here, chunk by chunk with
 * the stream's backpressure, so a gzip bomb never inflates further than the reader pulls, and
 * the cap counts what comes out of the decoder, not what went over the wire.
 */

/** Slack for compression overhead: incompressible data grows a little when gzipped. */
const WIRE_SLACK = 64 * 1024;

export interface ByteCounts {
  /** Bytes received from the network (compressed, when the answer was). */
  wire: number;
  /** Bytes after content decoding, handed to the reader. */
  decoded: number;
}

export function decoderFor(contentEncoding: string | undefined): (() => NodeJS.ReadWriteStream) | null {
  const coding = (contentEncoding ?? "identity").trim().toLowerCase();
  switch (coding) {
    case "":
    case "identity":
      return () => new PassThrough();
    case "gzip":
    case "x-gzip":
      return () => createGunzip();
    case "deflate":
      return () => createInflate();
    case "br":
      return () => createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * Yields decoded chunks; the chunk that crosses `maxBytes` is cut at the cap and the next pull
 * throws `FetchRefused("too-large")`. Stopping early (a `break`) destroys the network stream.
 */
export async function* cappedBody(
  raw: Readable,
  makeDecoder: () => NodeJS.ReadWriteStream,
  maxBytes: number,
  counts: ByteCounts,
): AsyncGenerator<Buffer, void, undefined> {
  const wireCap = maxBytes + WIRE_SLACK;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counts.wire += chunk.length;
      if (counts.wire > wireCap) return done(tooLarge(maxBytes));
      done(null, chunk);
    },
  });
  const decoded = pipeline(raw, counter, makeDecoder(), () => {
    // errors surface through the iteration below; this callback only keeps pipeline from throwing
  }) as unknown as Readable;
  try {
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      const room = maxBytes - counts.decoded;
      if (chunk.length > room) {
        if (room > 0) {
          counts.decoded = maxBytes;
          yield chunk.subarray(0, room);
        }
        throw tooLarge(maxBytes);
      }
      counts.decoded += chunk.length;
      yield chunk;
    }
  } finally {
    discard(decoded);
    discard(raw);
  }
}

/** Destroys a stream we no longer read; the abort error it emits is expected, not a crash. */
export function discard(stream: { on(event: "error", fn: () => void): unknown; destroy(): unknown }): void {
  stream.on("error", () => {});
  stream.destroy();
}

function tooLarge(maxBytes: number): FetchRefused {
  return new FetchRefused("too-large", `The page is larger than ${Math.round(maxBytes / 1024)} KiB.`);
}
