import { type Label, MAX_LABELS } from "./format.js";

/**
 * GraphQL selections that several link kinds ask for, spelled once so that their answers keep the
 * one shape `personAttributes` and `labelAttributes` read. Interpolated text rather than named
 * fragments: a document must define each fragment exactly once, and the issue query already
 * embeds the pull request's fragment, so shared fragments would need bookkeeping per query.
 */

/** On any `Actor`: the login and an avatar sized for Notion's avatar slot. */
export const AUTHOR = /* GraphQL */ `author { login avatarUrl(size: 80) }`;

/** On any `Labelable`: as many labels as a preview shows. */
export const LABELS = /* GraphQL */ `labels(first: ${MAX_LABELS}) { nodes { name color } }`;

/** What `AUTHOR` answers: null when the account was deleted (GitHub shows "ghost"). */
export type AuthorAnswer = { login: string; avatarUrl: string } | null;

/** What `LABELS` answers, with GitHub's nullability. */
export type LabelsAnswer = { nodes: (Label | null)[] | null } | null;
