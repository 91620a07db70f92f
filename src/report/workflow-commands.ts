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

/**
 * The check run's annotations as workflow commands, one line each. They are the ones the check
 * run would carry, so max-annotations caps them alike; a last line says how many it left out.
 */
export function renderWorkflowCommands(rendered: Pick<RenderedCheckRun, "annotationBatches" | "annotationsLeftOut">): string {
  const lines = rendered.annotationBatches.flat().map((a) =>
    workflowCommand(LEVEL[a.annotation_level], { title: a.title, file: a.path, line: a.start_line, endLine: a.end_line, col: a.start_column, endColumn: a.end_column } satisfies AnnotationPlace, a.message),
  );
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
