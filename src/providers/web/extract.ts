import { createHeadScan } from "./headScan.js";
import { toMetadata, type Metadata } from "./metadata.js";
import { DEFAULT_HEAD_BUDGET } from "./readHead.js";

export type { Metadata, VideoRef } from "./metadata.js";

/**
 * Pure: a page's HTML and the URL it was read from → its preview metadata (Open Graph, Twitter
 * cards, JSON-LD, then plain HTML). Like the network path it scans only what it needs: the
 * tokenizer stops where the metadata ends, and never looks past `budget` characters, so a 2 MB
 * page costs what its head costs.
 */
export function extract(html: string, baseUrl: string, opts: { budget?: number } = {}): Metadata {
  const budget = opts.budget ?? DEFAULT_HEAD_BUDGET;
  const scan = createHeadScan();
  const step = 32 * 1024;
  const end = Math.min(html.length, budget);
  for (let at = 0; at < end && !scan.done; at += step) scan.write(html.slice(at, Math.min(at + step, end)));
  return toMetadata(scan.finish(), baseUrl);
}
