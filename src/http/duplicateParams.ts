/**
 * RFC 6749 §3.1: request and response parameters must not be included more than once. The
 * simple query parser and `urlencoded({extended:false})` turn repeated keys into arrays.
 */
export function duplicatedParams(...sources: unknown[]): string[] {
  const dups = new Set<string>();
  for (const source of sources) {
    if (!source || typeof source !== "object") continue;
    for (const [key, value] of Object.entries(source)) if (Array.isArray(value)) dups.add(key);
  }
  return [...dups];
}

/** A single string parameter, or undefined when absent or not a plain string. */
export function param(source: unknown, name: string): string | undefined {
  if (!source || typeof source !== "object") return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}
