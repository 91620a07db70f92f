import { createRequire } from "node:module";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parseSkipFile } from "../../src/skips/index.js";
import { FakeGitHub, INSTALLATION_TOKEN, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { loadApp, logText, newFake, PRIVATE_KEY, type TestApp } from "./helpers.js";

const FILE = ".github/skilldex.yml";
const HEADER = [
  "# skilldex settings and skip preferences.",
  "# Edit by hand, or comment `/skip <key> <reason>` on a pull request where the skilldex App is installed.",
].join("\n");

let fake: FakeGitHub;
let app: TestApp;

beforeEach(async () => {
  fake = newFake(FakeGitHub);
  fake.openPull(42, { head: "feature" });
  serveThroughNock(fake);
  app = await loadApp();
});

afterEach(() => {
  stopServingThroughNock();
  // Every request the app made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

const reply = (): string => {
  const replies = fake.replies(42);
  expect(replies).toHaveLength(1);
  return replies[0] as string;
};

describe("/skip", () => {
  test("commits the entry to a same-repository pull request's head branch, with a message that says what and who", async () => {
    const { comment } = await app.comment({ body: "/skip skill:legacy-pdf Using alternative implementation" });

    expect(fake.file("feature", FILE)).toBe(
      `${HEADER}\nskip:\n  - key: skill:legacy-pdf\n    reason: Using alternative implementation\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: "#42"\n`,
    );
    const head = fake.history("feature")[0];
    expect(head?.message).toBe("skilldex: skip skill:legacy-pdf (requested by @octocat in #42)");
    expect(fake.file(fake.defaultBranch, FILE)).toBeNull();
    expect(reply()).toContain(
      `- \`/skip skill:legacy-pdf Using alternative implementation\` — skipped \`skill:legacy-pdf\`: committed [\`${head?.sha.slice(0, 7)}\`](https://github.com/${fake.fullName}/commit/${head?.sha}) to \`feature\`.`,
    );
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "rocket"]);
  });

  test("keeps the comments and key order of an existing skip file", async () => {
    const existing = "# our settings\nprofile: claude-code # strict later\nskip:\n  # kept for the migration\n  - key: skill:docx\n    reason: old\nexclude: [\"archive/**\"]\n";
    fake.commit("feature", { [FILE]: existing });
    await app.comment({ body: "/skip skill:pdf flaky" });

    expect(fake.file("feature", FILE)).toBe(
      "# our settings\nprofile: claude-code # strict later\nskip:\n  # kept for the migration\n  - key: skill:docx\n    reason: old\n  - key: skill:pdf\n    reason: flaky\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: \"#42\"\nexclude: [\"archive/**\"]\n",
    );
  });

  test("skips every artifact below a folder path, in one commit, and lists them", async () => {
    await app.comment({ body: "/skip legacy/ superseded" });

    const text = fake.file("feature", FILE) ?? "";
    expect(text).toContain("- key: skill:old-a\n    reason: superseded");
    expect(text).toContain("- key: skill:old-b\n    reason: superseded");
    expect(fake.history("feature")[0]?.message).toBe("skilldex: skip skill:old-a, skill:old-b (requested by @octocat in #42)");
    expect(reply()).toContain("skipped `skill:old-a`, `skill:old-b`: committed");
  });

  test("takes a bare name for the one artifact of that name, and a quoted path with spaces", async () => {
    fake.commit("feature", { "old stuff/old-c/SKILL.md": "---\nname: old-c\n---\n" });
    await app.comment({ body: '/skip legacy-pdf\n/skip "old stuff" has spaces' });

    expect(parseSkipFile(fake.file("feature", FILE) ?? "").skip.map((e) => [e.key, e.reason])).toEqual([
      ["skill:legacy-pdf", null],
      ["skill:old-c", "has spaces"],
    ]);
  });

  test("takes a bare name for the one key it ends, and a path to a SKILL.md for its skill, as `skilldex skip` does", async () => {
    await app.comment({ body: "/skip deploy\n/skip skills/pdf/SKILL.md" });

    expect(parseSkipFile(fake.file("feature", FILE) ?? "").skip.map((e) => e.key)).toEqual(["command:tools/deploy", "skill:pdf"]);
  });

  test("lists the keys a bare name could mean when several end in it, and writes nothing", async () => {
    fake.commit("feature", { "plugins/ops/.claude-plugin/plugin.json": '{"name": "ops"}\n', "plugins/ops/commands/deploy.md": "---\ndescription: Deploys too.\n---\n" });
    const { comment } = await app.comment({ body: "/skip deploy" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toContain("`deploy` names more than one artifact; nothing was written. Give the key: `command:ops/deploy` or `command:tools/deploy`.");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("refuses, naming its path, an artifact whose name the skip file cannot hold, and writes nothing", async () => {
    fake.commit("feature", { "skills/padded /SKILL.md": "---\nname: padded\n---\n" });
    await app.comment({ body: "/skip skills/" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toContain("`skills/padded ` cannot be recorded in .github/skilldex.yml: a key cannot hold a control character (such as a line break) or start or end with a space.");
  });

  test("records the key of a folder whose name holds a space, and the next run can read it back", async () => {
    fake.commit("feature", { "skills/my skill/SKILL.md": "---\nname: my-skill\n---\n" });
    await app.comment({ body: '/skip "skills/my skill"' });

    expect(parseSkipFile(fake.file("feature", FILE) ?? "").skip.map((e) => e.key)).toEqual(["skill:my skill"]);
    expect(reply()).toContain("skipped `skill:my skill`: committed");
  });

  test("resolves keys case-insensitively and reads plugin-namespaced keys", async () => {
    await app.comment({ body: "/SKIP Skill:PDF\n/skip command:tools/deploy" });

    const text = fake.file("feature", FILE) ?? "";
    expect(text).toContain("- key: skill:pdf");
    expect(text).toContain("- key: command:tools/deploy");
  });

  test("handles several commands in one comment with one commit and one reply, a line each", async () => {
    fake.commit("feature", { [FILE]: "skip:\n  - key: skill:docx\n" });
    const { comment } = await app.comment({ body: "Cleaning up:\n/skip skill:pdf\n/unskip skill:docx\n/skip skill:nope\n/skips" });

    expect(fake.file("feature", FILE)).toBe("skip:\n  - key: skill:pdf\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: \"#42\"\n");
    expect(fake.history("feature")[0]?.message).toBe("skilldex: skip skill:pdf; unskip skill:docx (requested by @octocat in #42)");
    const lines = reply().split("\n").filter((line) => line.startsWith("- "));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain("skipped `skill:pdf`");
    expect(lines[1]).toContain("unskipped `skill:docx`");
    expect(lines[2]).toContain("no artifact matches `skill:nope`");
    expect(lines[3]).toContain("1 skip preference in `.github/skilldex.yml` on `feature`");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("writes nothing for a key that is already skipped, and says so", async () => {
    fake.commit("feature", { [FILE]: "skip:\n  - key: skill:pdf\n    reason: earlier\n" });
    const before = fake.history("feature").length;
    const { comment } = await app.comment({ body: "/skip skill:pdf again" });

    expect(fake.history("feature")).toHaveLength(before);
    expect(reply()).toContain("`skill:pdf` is already skipped; nothing to change.");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "rocket"]);
  });

  test("answers an unknown key with the closest matches and writes nothing", async () => {
    const { comment } = await app.comment({ body: "/skip skill:legacy-pfd" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toContain("no artifact matches `skill:legacy-pfd`; nothing was written. Did you mean `skill:legacy-pdf`");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("does not see artifacts inside node_modules", async () => {
    await app.comment({ body: "/skip skill:vendored" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toContain("no artifact matches `skill:vendored`");
  });

  test("explains the usage when the key is missing", async () => {
    await app.comment({ body: "/skip" });

    expect(reply()).toContain("`/skip <key-or-path> [reason]` needs an artifact key or path, such as `skill:legacy-pdf`.");
  });

  test("resolves keys against the pull request's head, where new artifacts live", async () => {
    fake.commit("feature", { "skills/brand-new/SKILL.md": "---\nname: brand-new\n---\n" });
    await app.comment({ body: "/skip skill:brand-new" });

    expect(fake.file("feature", FILE)).toContain("- key: skill:brand-new");
  });
});

describe("/unskip", () => {
  test("removes the entry and keeps the rest of the file", async () => {
    fake.commit("feature", { [FILE]: "# settings\nskip:\n  - key: skill:pdf # temporary\n  - key: skill:docx\n    reason: old\n" });
    await app.comment({ body: "/unskip skill:docx" });

    expect(fake.file("feature", FILE)).toBe("# settings\nskip:\n  - key: skill:pdf # temporary\n");
    expect(fake.history("feature")[0]?.message).toBe("skilldex: unskip skill:docx (requested by @octocat in #42)");
    expect(reply()).toContain("unskipped `skill:docx`: committed");
  });

  test("removes a skipped key whose artifact no longer exists", async () => {
    fake.commit("feature", { [FILE]: "skip:\n  - key: skill:deleted-long-ago\n  - key: skill:pdf\n" });
    await app.comment({ body: "/unskip skill:deleted-long-ago" });

    expect(fake.file("feature", FILE)).toBe("skip:\n  - key: skill:pdf\n");
  });

  test("says a key that is not skipped needs no change", async () => {
    await app.comment({ body: "/unskip skill:pdf" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toContain("`skill:pdf` is not skipped; nothing to change.");
  });
});

describe("/skips", () => {
  test("lists the skip preferences on the pull request's head, for anyone who can comment", async () => {
    fake.grant("visitor", "read");
    fake.commit("feature", { [FILE]: "skip:\n  - key: skill:pdf\n    reason: Using alternative implementation\n    by: octocat\n    ref: \"#7\"\n  - skill:docx\n" });
    const { comment } = await app.comment({ body: "/skips", login: "visitor" });

    expect(reply()).toContain(
      "2 skip preferences in `.github/skilldex.yml` on `feature`:\n  - `skill:pdf` — Using alternative implementation, by `octocat`, #7\n  - `skill:docx`",
    );
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "rocket"]);
  });

  test("says when there is no skip file yet", async () => {
    await app.comment({ body: "/skips" });

    expect(reply()).toContain("no skip preferences: there is no `.github/skilldex.yml` on `feature` yet.");
  });
});

describe("who may", () => {
  test.each([
    ["triage", "triage"],
    ["read", "read"],
  ] as const)("refuses %s access politely, saying write access is needed, and writes nothing", async (role, shown) => {
    fake.grant("helper", role);
    const { comment } = await app.comment({ body: "/skip skill:pdf", login: "helper" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toContain(`not allowed: changing skip preferences needs write access to this repository, and \`helper\` has ${shown} access.`);
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("refuses someone who is not a collaborator", async () => {
    await app.comment({ body: "/unskip skill:pdf", login: "stranger" });

    expect(reply()).toContain("`stranger` has no access");
  });

  test.each(["maintain", "admin"] as const)("lets %s access change skip preferences", async (role) => {
    fake.grant("lead", role);
    await app.comment({ body: "/skip skill:pdf", login: "lead" });

    expect(fake.file("feature", FILE)).toContain("by: lead");
  });
});

describe("what is ignored", () => {
  test("comments by bots, the app's own answers included", async () => {
    const { comment } = await app.comment({ body: "/skip skill:pdf", login: "skilldex[bot]", userType: "Bot" });

    expect(fake.replies(42)).toEqual([]);
    expect(fake.reactionsOn(comment.id)).toEqual([]);
    expect(fake.file("feature", FILE)).toBeNull();
  });

  test("edited comments", async () => {
    const require = createRequire(import.meta.url);
    const definitions = require("@octokit/webhooks-examples") as WebhookDefinition[];
    const examples = (definitions.find((d) => d.name === "issue_comment") as WebhookDefinition<"issue_comment">).examples;
    const edited = structuredClone(examples.find((e) => e.action === "edited")) as unknown as EmitterWebhookEvent<"issue_comment.edited">["payload"];
    edited.comment.body = "/skip skill:pdf";
    edited.installation = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
    await app.probot.receive({ id: "edit-1", name: "issue_comment", payload: edited } as EmitterWebhookEvent<"issue_comment">);

    expect(fake.comments).toEqual([]);
    expect(fake.reactions).toEqual([]);
  });

  test("comments without commands get no reaction and no answer", async () => {
    const { comment } = await app.comment({ body: "Looks good. Maybe `/skip skill:pdf` later?\n> /skip skill:pdf" });

    expect(fake.replies(42)).toEqual([]);
    expect(fake.reactionsOn(comment.id)).toEqual([]);
  });
});

describe("the feature flag and a malformed file", () => {
  test("ENABLE_SKIP_PREFERENCES=false answers that skip preferences are disabled and writes nothing", async () => {
    const disabled = await loadApp({}, { ENABLE_SKIP_PREFERENCES: "false" });
    const { comment } = await disabled.comment({ body: "/skip skill:pdf\n/skips" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(reply()).toBe(`<!-- skilldex:reply-to ${comment.id} -->\nSkip preferences are disabled for this installation of skilldex (\`ENABLE_SKIP_PREFERENCES=false\`), so nothing was written.`);
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("skip-preferences: false in the repository file answers that they are disabled there and writes nothing", async () => {
    fake.commit("feature", { [FILE]: "skip-preferences: false\n" });
    const before = fake.history("feature").length;
    await app.comment({ body: "/skip skill:pdf" });

    expect(fake.history("feature")).toHaveLength(before);
    expect(reply()).toContain("Skip preferences are disabled in this repository (`skip-preferences: false` in `.github/skilldex.yml`), so nothing was written.");
  });

  test("a malformed skip file gets one answer quoting file, line and column, and nothing is written", async () => {
    fake.commit("feature", { [FILE]: "skip:\n  - key: skill:pdf\n    color: blue\n" });
    const before = fake.history("feature").length;
    const { comment } = await app.comment({ body: "/skip skill:docx\n/unskip skill:pdf" });

    expect(fake.history("feature")).toHaveLength(before);
    expect(reply()).toContain('```\n.github/skilldex.yml:3:5: unknown skip entry field "color"; the fields are key, reason, by, at, ref\n```');
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });
});

describe("GitHub errors", () => {
  test("a refused write is answered with the permission the app lacks", async () => {
    fake.beforeWrite = () => ({ status: 403, body: { message: "Resource not accessible by integration" } });
    const { comment } = await app.comment({ body: "/skip skill:pdf" });

    expect(reply()).toContain("could not commit .github/skilldex.yml to feature: the app needs the `contents: write` permission on this repository");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });
});

describe("logs", () => {
  test("write one structured line per command with the delivery id as trace id, and never a token or key", async () => {
    await app.comment({ body: "/skip skill:pdf\n/skip skill:nope" }, "delivery-abc");

    const lines = app.records.filter((r) => r.msg === "skilldex command handled");
    expect(lines.map((l) => [l.traceId, l.command, l.target, l.outcome, l.keys])).toEqual([
      ["delivery-abc", "skip", "skill:pdf", "done", ["skill:pdf"]],
      ["delivery-abc", "skip", "skill:nope", "unknown", []],
    ]);
    expect(lines[0]?.commit).toBe(fake.history("feature")[0]?.sha);
    const everything = logText(app.records);
    expect(everything).not.toContain(INSTALLATION_TOKEN);
    expect(everything).not.toContain(PRIVATE_KEY.split("\n")[1]);
  });
});
