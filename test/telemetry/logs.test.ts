import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import { createLogger } from "../../src/telemetry/log.js";
import { Redactor } from "../../src/telemetry/redact.js";
import { makeTree, skill } from "../helpers/repo.js";

const TOKEN = "ghs_0123456789abcdefghijABCDEFGHIJ0123";

function collect(env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const logger = createLogger({ traceId: "run-42-1", write: (line) => lines.push(line), level: "debug", redactor: new Redactor(env), fields: { repository: "octo/skills" } });
  return { lines, logger };
}

describe("structured logs", () => {
  it("writes every line of a scan as JSON carrying the trace id and the repository", async () => {
    const { lines, logger } = collect();
    await scan({ root: makeTree({ "skills/a/SKILL.md": skill("a"), ".claude/agents/x.md": "no frontmatter", ".github/skilldex.yml": "skip:\n  - key: skill:gone\n" }), logger });
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const records = lines.map((line) => JSON.parse(line));
    for (const record of records) expect(record).toMatchObject({ traceId: "run-42-1", repository: "octo/skills", level: expect.any(String), time: expect.any(String), message: expect.any(String) });
    expect(records.find((r) => r.message === "scan finished")).toMatchObject({ level: "info", discovered: 2, failed: 1, strategy: "workspace", durationMs: expect.any(Number) });
    expect(records.find((r) => r.artifactKey === "agent:x")).toMatchObject({ status: "failed", reason: "missing_metadata" });
    expect(records.find((r) => r.level === "warn")?.message).toMatch(/skill:gone matches no artifact/);
  });

  it("keeps levels: debug lines are left out at info", () => {
    const lines: string[] = [];
    const logger = createLogger({ traceId: "t", write: (l) => lines.push(l), level: "info" });
    logger.debug("hidden");
    logger.info("shown");
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(["shown"]);
  });

  it("never writes a secret planted in the environment, in an error, or in a clone URL", () => {
    const privateKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----";
    const { lines, logger } = collect({ "INPUT_GITHUB-TOKEN": "plain-secret-value-123", WEBHOOK_SECRET: "hook-secret-4567", PRIVATE_KEY: privateKey });
    logger.error("clone failed", { error: new Error(`fatal: could not read from https://x-access-token:${TOKEN}@github.com/o/r.git`) });
    logger.warn("request failed", { url: "https://user:plain-secret-value-123@ghe.example.com/api", header: `Authorization: Bearer ${TOKEN}` });
    logger.info("signature", { secret: "hook-secret-4567", key: privateKey, pat: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv" });
    logger.info("encoded", { header: `basic ${Buffer.from("x-access-token:plain-secret-value-123").toString("base64")}` });
    const all = lines.join("");
    for (const secret of [TOKEN, "plain-secret-value-123", "hook-secret-4567", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo", "github_pat_11ABCDEFG", Buffer.from("x-access-token:plain-secret-value-123").toString("base64")]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain("[REDACTED]");
    expect(JSON.parse(lines[0] as string).error).toEqual({ name: "Error", message: "fatal: could not read from https://[REDACTED]@github.com/o/r.git" });
  });
});
