import type { Request, Response } from "express";

/** Reads one cookie without a parser dependency for the single cookie we use. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * The pending-authorization cookie: HttpOnly, SameSite=Lax (Strict would be withheld on the
 * cross-site return from GitHub), Secure when served over https.
 */
export function setSessionCookie(res: Response, name: string, value: string, maxAgeMs: number, secure: boolean): void {
  res.cookie(name, value, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: maxAgeMs });
}

export function clearSessionCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(name, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
