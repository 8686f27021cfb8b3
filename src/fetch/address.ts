import ipaddr from "ipaddr.js";

/**
 * Which addresses a user-supplied URL may reach: public unicast only. Everything else (loopback,
 * RFC 1918, link-local with the cloud metadata service at 169.254.169.254, CGNAT, multicast,
 * `0.0.0.0/8`, documentation and benchmark ranges, unique-local IPv6 …) is refused, and so is any
 * IPv6 form that smuggles an IPv4 address (mapped, compatible, translated) unless the embedded
 * address is itself public (NAT64 and 6to4 are how IPv6-only hosts reach the IPv4 internet).
 */

export interface AddressPolicy {
  /**
   * Local testing only (`FETCH_ALLOW_PRIVATE`): also allow loopback, RFC 1918, CGNAT and
   * unique-local addresses. Link-local (the metadata service), multicast, unspecified and reserved
   * addresses stay refused even then: no test needs them and a misconfigured host must not reach them.
   */
  allowPrivate: boolean;
}

const PRIVATE_V4 = new Set(["loopback", "private", "carrierGradeNat"]);
/**
 * Cloud metadata services that live inside ranges `allowPrivate` opens: AWS's IPv6 endpoint is
 * unique-local and Alibaba's is CGNAT. Refused in every mode (169.254.169.254 is link-local anyway).
 */
const METADATA = new Set(["fd00:ec2::254", "100.100.100.200"]);
const PRIVATE_V6 = new Set(["loopback", "uniqueLocal"]);

/** The NAT64 well-known prefix (RFC 6052): the last 32 bits are an IPv4 address. */
const NAT64 = ipaddr.IPv6.parse("64:ff9b::").toByteArray();

/** Why an address is refused, or null when it may be reached. Unparseable input is refused. */
export function addressProblem(address: string, policy: AddressPolicy): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  const ip = ipaddr.parse(address);
  if (METADATA.has(ip.toString())) return `${ip.toString()} is a cloud metadata service`;
  return ip.kind() === "ipv4" ? v4Problem(ip as ipaddr.IPv4, policy) : v6Problem(ip as ipaddr.IPv6, policy);
}

function v4Problem(ip: ipaddr.IPv4, policy: AddressPolicy): string | null {
  const range = ip.range();
  if (range === "unicast") return null;
  if (policy.allowPrivate && PRIVATE_V4.has(range)) return null;
  return `${ip.toString()} is in the ${range} range`;
}

function v6Problem(ip: ipaddr.IPv6, policy: AddressPolicy): string | null {
  const bytes = ip.toByteArray();
  const embedded = (from: number) => new ipaddr.IPv4(bytes.slice(from, from + 4));
  // ::a.b.c.d (IPv4-compatible, deprecated) is classed as unicast by ipaddr.js: never legitimate
  if (bytes.slice(0, 12).every((b) => b === 0) && !bytes.slice(12).every((b) => b === 0) && ip.range() !== "loopback") {
    return `${ip.toString()} is an IPv4-compatible IPv6 address`;
  }
  const range = ip.range();
  switch (range) {
    case "unicast":
      return null;
    case "rfc6052": {
      // only the well-known /96 carries a global IPv4 address; 64:ff9b:1::/48 is local-use
      if (!NAT64.slice(0, 12).every((b, i) => b === bytes[i])) return `${ip.toString()} is a local-use NAT64 address`;
      const inner = v4Problem(embedded(12), { allowPrivate: false });
      return inner === null ? null : `${ip.toString()} is NAT64 of a non-public address (${inner})`;
    }
    case "6to4": {
      const inner = v4Problem(embedded(2), { allowPrivate: false });
      return inner === null ? null : `${ip.toString()} is 6to4 of a non-public address (${inner})`;
    }
    default:
      if (policy.allowPrivate && PRIVATE_V6.has(range)) return null;
      // ipv4Mapped, rfc6145 (translated), teredo, linkLocal, multicast, reserved …
      return `${ip.toString()} is in the ${range} range`;
  }
}
