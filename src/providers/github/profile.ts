import { z } from "zod";
import { type Attribute, date, dev, enumValue, image, plainText, title } from "../../notion/attributes.js";
import { COLORS, bodyAttribute, plural } from "./format.js";
import { profileKey } from "./keys.js";
import type { LinkKind } from "./linkKind.js";
import { END, LOGIN, param, webStart } from "./urls.js";

/** User and organisation profiles (`/<login>`): one REST call answers both. */

const userSchema = z.object({
  login: z.string(),
  type: z.string(),
  name: z.string().nullish(),
  avatar_url: z.string(),
  bio: z.string().nullish(),
  company: z.string().nullish(),
  location: z.string().nullish(),
  public_repos: z.number().optional(),
  followers: z.number().optional(),
  created_at: z.string(),
});
type UserJson = z.infer<typeof userSchema>;

export function profileAttributes(user: UserJson, developerName: string): Attribute[] {
  const isOrg = user.type === "Organization";
  const where = [user.company, user.location].filter((s): s is string => Boolean(s?.trim()));
  return [
    title(user.name?.trim() || user.login),
    plainText("identifier", isOrg ? "Organization" : "User", `@${user.login}`, "identifier"),
    enumValue("type", "Type", isOrg ? "Organization" : user.type === "Bot" ? "Bot" : "User", "primary", isOrg ? COLORS.blue : COLORS.grey),
    ...(user.public_repos !== undefined ? [plainText("repositories", "Repositories", plural(user.public_repos, "public repository", "public repositories"), "secondary")] : []),
    ...(user.followers !== undefined && !isOrg ? [plainText("followers", "Followers", plural(user.followers, "follower"), "secondary")] : []),
    ...(where.length > 0 ? [plainText("where", "Company and location", where.join(" · "), "secondary")] : []),
    date("joined", "Joined", user.created_at, "secondary"),
    image("avatar", "Avatar", user.avatar_url, "avatar"),
    plainText("login", "Login", `@${user.login}`, "avatar"),
    ...bodyAttribute(user.bio, "Bio"),
    dev(developerName),
  ];
}

export const profileKind: LinkKind = {
  kind: "profile",
  name: "GitHub user or organization",
  pattern: (site) => String.raw`${webStart(site)}\/(?<login>${LOGIN})${END}`,
  samples: (site) => [`${site.origin}/octocat`, `${site.origin}/octo-org?tab=repositories`],
  placeholder: { title: "$<login>", identifier: "@$<login>" },
  key: (site, p) => profileKey(site.host, param(p, "login")),
  async unfurl(params, ctx) {
    const user = await ctx.api.rest(ctx.caller, `/users/${encodeURIComponent(param(params, "login"))}`, userSchema);
    return profileAttributes(user, ctx.developerName);
  },
};
