import { describe, expect, it } from "vitest";
import { addressProblem } from "../src/fetch/address.js";
import { FetchRefused } from "../src/fetch/errors.js";
import { checkTarget, isIpLiteral } from "../src/fetch/target.js";

const strict = { allowPrivate: false };
const dev = { allowPrivate: true };

describe("addressProblem", () => {
  const refusedAlways = [
    "169.254.169.254", // cloud metadata (link-local)
    "169.254.0.1",
    "fe80::1",
    "0.0.0.0",
    "0.1.2.3",
    "::",
    "224.0.0.1",
    "239.255.255.250",
    "ff02::1",
    "255.255.255.255",
    "192.0.2.1", // documentation and benchmark ranges
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "240.0.0.1",
    "192.0.0.8",
    "2001:db8::1",
    "::ffff:127.0.0.1", // IPv4-mapped, whatever it maps
    "::ffff:169.254.169.254",
    "::ffff:8.8.8.8",
    "::ffff:0:7f00:1", // IPv4-translated
    "::7f00:1", // IPv4-compatible
    "::a9fe:a9fe",
    "64:ff9b::7f00:1", // NAT64 of loopback and of the metadata service
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::a00:1",
    "64:ff9b:1::1", // local-use NAT64
    "2002:7f00:1::", // 6to4 of loopback
    "2002:a9fe:a9fe::1",
    "2001::1", // Teredo
    "fd00:ec2::254", // AWS IPv6 metadata, unique-local
    "100.100.100.200", // Alibaba metadata, CGNAT
    "not-an-ip",
    "",
  ];
  const refusedUnlessPrivate = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "::1",
    "fc00::1",
    "fd12:3456::1",
  ];
  const publicAddresses = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"];

  it.each(refusedAlways)("refuses %s in every mode", (address) => {
    expect(addressProblem(address, strict)).toEqual(expect.any(String));
    expect(addressProblem(address, dev)).toEqual(expect.any(String));
  });

  it.each(refusedUnlessPrivate)("refuses %s unless FETCH_ALLOW_PRIVATE", (address) => {
    expect(addressProblem(address, strict)).toEqual(expect.any(String));
    expect(addressProblem(address, dev)).toBeNull();
  });

  it.each(publicAddresses)("allows the public address %s", (address) => {
    expect(addressProblem(address, strict)).toBeNull();
  });
});

describe("checkTarget", () => {
  const reason = (url: string, ports?: number[]) => {
    try {
      checkTarget(url, ports);
      return "accepted";
    } catch (err) {
      return err instanceof FetchRefused ? err.reason : `unexpected ${String(err)}`;
    }
  };

  it.each([
    "http://127.0.0.1/",
    "http://2130706433/", // decimal
    "http://0x7f000001/", // hex
    "http://0x7f.1/", // hex, short
    "http://0177.0.0.1/", // octal
    "http://017700000001/",
    "http://127.1/", // short form
    "http://127.0.0.1./", // trailing dot
    "http://１２７.０.０.１/", // full-width digits
    "http://0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[fd00:ec2::254]/",
    "https://8.8.8.8/",
  ])("refuses the IP literal %s", (url) => {
    expect(reason(url)).toBe("ip-literal");
  });

  it("refuses other schemes, credentials, other ports and unparseable URLs", () => {
    for (const url of ["ftp://example.test/", "file:///etc/passwd", "gopher://example.test:70/", "javascript:alert(1)", "data:text/html,x"]) {
      expect(reason(url), url).toBe("scheme");
    }
    expect(reason("https://user:pass@example.test/")).toBe("credentials");
    expect(reason("https://user@example.test/")).toBe("credentials");
    expect(reason("http://example.test:22/")).toBe("port");
    expect(reason("https://example.test:8443/")).toBe("port");
    expect(reason("http://example.test:8080/", [80, 8080])).toBe("accepted");
    expect(reason("not a url")).toBe("invalid-url");
    expect(reason("http://[fe80::1%25eth0]/")).toBe("invalid-url");
  });

  it("accepts names, including ones that look numeric but are not addresses", () => {
    for (const url of ["https://example.test/", "http://1e100.example/", "https://0x7f.example/", "https://xn--bcher-kva.example/"]) {
      expect(reason(url), url).toBe("accepted");
    }
    expect(isIpLiteral("docs.example.test")).toBe(false);
  });
});
