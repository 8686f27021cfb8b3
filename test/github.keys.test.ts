import { describe, expect, it } from "vitest";
import * as keys from "../src/providers/github/keys.js";

/** The resource keys the webhook code builds too: pinned byte for byte. */
describe("GitHub resource keys", () => {
  it.each([
    [keys.repositoryKey("github.com", "Octo-Org", "Hello.World"), "github:github.com:octo-org/hello.world"],
    [keys.pullKey("github.com", "O", "R", 42), "github:github.com:o/r#pull/42"],
    [keys.issueKey("ghe.acme.com", "O", "R", "7"), "github:ghe.acme.com:o/r#issue/7"],
    [keys.commitKey("github.com", "o", "r", "ABCDEF0123"), "github:github.com:o/r#commit/abcdef0"],
    [keys.commitKey("github.com", "o", "r", "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d"), "github:github.com:o/r#commit/7fd1a60"],
    [keys.commitKey("github.com", "o", "r", "7FD1A60"), "github:github.com:o/r#commit/7fd1a60"],
    [keys.releaseKey("github.com", "o", "r", "V1.0"), "github:github.com:o/r#release/V1.0"],
    [keys.discussionKey("github.com", "o", "r", 3), "github:github.com:o/r#discussion/3"],
    [keys.runKey("github.com", "o", "r", 9182736450), "github:github.com:o/r#run/9182736450"],
    [keys.jobKey("github.com", "o", "r", "25250011223"), "github:github.com:o/r#job/25250011223"],
    [keys.fileKey("github.com", "o", "r", "feature/x/src/A.ts"), "github:github.com:o/r#file/feature/x/src/A.ts"],
    [keys.treeKey("127.0.0.1:8080", "o", "r", "main"), "github:127.0.0.1:8080:o/r#tree/main"],
    [keys.profileKey("github.com", "Octocat"), "github:github.com:@octocat"],
    [keys.gistKey("github.com", "AA5A315D"), "github:github.com:gist/aa5a315d"],
  ])("%s", (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
