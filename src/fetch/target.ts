import ipaddr from "ipaddr.js";
import { FetchRefused } from "./errors.js";

/**
 * The checks a URL passes before we connect anywhere: pure functions of the URL and the allowed
 * ports, run on the first URL and again on every redirect target.
 */

export const DEFAULT_PORTS: readonly number[] = [80, 443];

/**
 * The WHATWG parser (the one browsers use) already turns every legacy IPv4 spelling into a dotted
 * quad: `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`, `127.0.0.1.` and full-width digits all come
 * out as `127.0.0.1`, and a name whose last label is numeric is an IPv4 address or a parse error.
 * So after parsing, an IP literal is a dotted quad or a bracketed IPv6 address; `ipaddr.isValid`
 * is the second net in case a runtime's parser ever lets another form through.
 */
export function isIpLiteral(hostname: string): boolean {
  if (hostname.startsWith("[")) return true;
  if (/^[\d.]+$/.test(hostname)) return true;
  return ipaddr.isValid(hostname);
}

export function checkTarget(input: string | URL, allowedPorts: readonly number[] = DEFAULT_PORTS): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FetchRefused("invalid-url", "The link is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchRefused("scheme", `Only http and https links can be previewed (got ${url.protocol.slice(0, -1)}).`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new FetchRefused("credentials", "Links with a user name or password cannot be previewed.");
  }
  if (url.hostname === "" || isIpLiteral(url.hostname)) {
    throw new FetchRefused("ip-literal", "Links to a bare IP address cannot be previewed; use the site's name.");
  }
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  if (!allowedPorts.includes(port)) {
    throw new FetchRefused("port", `Port ${port} is not allowed for previews.`);
  }
  return url;
}
