import type { CheckRunAnnotation, RenderedCheckRun } from "./check-run.js";

/**
 * Workflow commands, the lines the Actions runner reads from a step's log: `::name
 * key=value,...::message`. Without a check run, the findings become annotations this way, which
 * GitHub shows on the workflow run and the pull request's diff.
 */

export type AnnotationLevel = "error" | "warning" | "notice";

/** Where an annotation points; the runner's names, in the order it documents them. */
export interface AnnotationPlace {
  title?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  endLine?: number | undefined;
  col?: number | undefined;
  endColumn?: number | undefined;
}

const LEVEL: Record<CheckRunAnnotation["annotation_level"], AnnotationLevel> = { failure: "error", warning: "warning", notice: "notice" };

/** One command line, without its line break, escaped as the runner expects; empty properties are left out. */
export function workflowCommand(name: string, properties: object, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

/** GitHub shows at most this many annotations of each level from one step; it drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * The check run's annotations as workflow commands, one line each. They are the ones the check
 * run would carry, in its order (errors first, then changed artifacts'), so max-annotations caps
 * them alike; past 10 of a level GitHub shows none, so the rest are left out, and last lines say
 * how many and where every finding is listed.
 */
export function renderWorkflowCommands(rendered: Pick<RenderedCheckRun, "annotationBatches" | "annotationsLeftOut">): string {
  const shown: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const past: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  for (const a of rendered.annotationBatches.flat()) {
    const level = LEVEL[a.annotation_level];
    if (shown[level] >= ANNOTATIONS_PER_LEVEL) {
      past[level]++;
      continue;
    }
    shown[level]++;
    lines.push(workflowCommand(level, { title: a.title, file: a.path, line: a.start_line, endLine: a.end_line, col: a.start_column, endColumn: a.end_column } satisfies AnnotationPlace, a.message));
  }
  const beyond = (["error", "warning", "notice"] as const).filter((level) => past[level] > 0).map((level) => `${past[level]} more ${level}${past[level] === 1 ? "" : "s"}`);
  if (beyond.length > 0) lines.push(`${beyond.join(", ")} not annotated: GitHub shows ${ANNOTATIONS_PER_LEVEL} annotations of each level from a step; the job summary lists every finding.`);
  const leftOut = rendered.annotationsLeftOut;
  if (leftOut > 0) lines.push(`${leftOut} more findings were not annotated (max-annotations); the job summary lists the artifacts they belong to.`);
  return lines.map((line) => `${line}\n`).join("");
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
