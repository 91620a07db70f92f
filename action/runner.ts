import { randomUUID } from "node:crypto";
import { appendFileSync, statSync } from "node:fs";
import { workflowCommand, type AnnotationLevel, type AnnotationPlace } from "../src/report/workflow-commands.js";

/**
 * Everything the Action says to the Actions runner: inputs, outputs, the job summary, log lines
 * and workflow commands. It speaks the runner's protocol over an injected environment and writer
 * (not @actions/core's process-wide globals), so a test can run the Action as the runner would.
 */
export type Env = Record<string, string | undefined>;

export class Runner {
  failed = false;

  constructor(
    private readonly env: Env,
    private readonly write: (text: string) => void,
  ) {}

  /** An input as the runner passes it: `INPUT_<NAME>` with spaces as underscores, hyphens kept. */
  input(name: string): string {
    return (this.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
  }

  output(name: string, value: string | number): void {
    const file = this.env.GITHUB_OUTPUT;
    if (!file) {
      this.info(`output ${name}=${value}`);
      return;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  }

  /** Bytes the step's summary file already holds; 0 when there is none. */
  summarySize(): number {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (!file) return 0;
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  }

  /** Appends Markdown to the job summary; false when the runner gave no summary file. */
  appendSummary(markdown: string): boolean {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (!file) return false;
    appendFileSync(file, markdown);
    return true;
  }

  info(message: string): void {
    this.write(`${message}\n`);
  }

  debug(message: string): void {
    this.command("debug", {}, message);
  }

  annotate(level: AnnotationLevel, message: string, place: AnnotationPlace = {}): void {
    this.command(level, place, message);
  }

  warning(message: string): void {
    this.annotate("warning", message);
  }

  notice(message: string): void {
    this.annotate("notice", message);
  }

  /** Marks the step failed, with the reason as an error annotation. */
  fail(message: string, place: AnnotationPlace = {}): void {
    this.failed = true;
    this.annotate("error", message, place);
  }

  /** Writes lines already rendered, such as workflow commands, as they are. */
  print(text: string): void {
    this.write(text);
  }

  private command(name: string, properties: object, message: string): void {
    this.write(`${workflowCommand(name, properties, message)}\n`);
  }
}
