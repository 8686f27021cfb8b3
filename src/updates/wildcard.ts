/**
 * A refresh job's key is a resource key, or a prefix standing for every tracked key that starts
 * with it, written with a trailing `*` (status events name no pull request, installation events a
 * whole account). No resource key ends in `*`: GitHub refuses it in names, tags and refs.
 */
const WILDCARD = "*";

export const anyKeyStartingWith = (prefix: string): string => `${prefix}${WILDCARD}`;

/** The prefix a wildcard key stands for, or null for a plain resource key. */
export const wildcardPrefix = (key: string): string | null => (key.endsWith(WILDCARD) ? key.slice(0, -WILDCARD.length) : null);
