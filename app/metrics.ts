import type { IncomingMessage, ServerResponse } from "node:http";
import type { CommandVerb } from "./commands.js";
import type { OutcomeKind } from "./outcome.js";

/**
 * The app's counters and its latency histogram, kept in this process and served in the Prometheus
 * text format. Each replica exposes its own; Prometheus sums them. A handful of series does not
 * need a client library.
 */

type Labels = Record<string, string>;

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelled = false,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    // A counter without labels is shown at 0 before its first event, so rate() has a starting point.
    if (this.values.size === 0 && !this.labelled) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds in seconds, ascending; +Inf is implied. */
    readonly buckets: readonly number[],
  ) {}

  observe(seconds: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    this.buckets.forEach((bound, i) => {
      if (seconds <= bound) (entry.counts[i] as number)++;
    });
    entry.sum += seconds;
    entry.count++;
  }

  count(labels: Labels = {}): number {
    return this.series.get(labelText(labels))?.count ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: "+Inf" })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${Number(sum.toFixed(6))}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines;
  }
}

/** What a command's outcome counts as on the dashboard: fewer, steadier words than the log's. */
export type CommandResult = "done" | "already" | "forbidden" | "unknown_key" | "usage" | "disabled" | "malformed" | "error";

const RESULTS: Record<OutcomeKind, CommandResult> = {
  done: "done",
  listed: "done",
  already: "already",
  not_allowed: "forbidden",
  unknown: "unknown_key",
  usage: "usage",
  disabled: "disabled",
  malformed: "malformed",
  failed: "error",
};

export function commandResult(kind: OutcomeKind): CommandResult {
  return RESULTS[kind];
}

/** How a delivery ended: it held commands, asked for a scan, pressed a button, held none of these (or came from a bot), or the handler threw. */
export type WebhookResult = "commands" | "scan" | "button" | "ignored" | "error";

/** Seconds. A comment without commands takes milliseconds; a command a few API round trips; a contended write, retries. */
export const LATENCY_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** Seconds. A scan waits for a free worker, then takes from milliseconds to minutes for a large marketplace. */
export const SCAN_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] as const;

class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  render(values: readonly { labels: Labels; value: number }[]): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, ...values.map(({ labels, value }) => `${this.name}${labelText(labels)} ${value}`)];
  }
}

/** What the write path reports, so it needs no more than these three methods. */
export interface WriteCounters {
  commitMade(): void;
  conflictRetried(): void;
  pullRequestOpened(): void;
}

export class AppMetrics implements WriteCounters {
  readonly commands = new Counter("skilldex_commands_total", "Commands handled, by command and outcome.", true);
  readonly commits = new Counter("skilldex_commits_total", "Commits the app made to a skip file.");
  readonly conflicts = new Counter("skilldex_conflicts_retried_total", "Writes refused because the file or branch moved, then read again and retried.");
  readonly pullRequests = new Counter("skilldex_pull_requests_opened_total", "Pull requests the app opened (forks, protected branches, issues).");
  readonly githubRequests = new Counter("skilldex_github_requests_total", "GitHub API requests made while handling deliveries, by HTTP status (none when GitHub could not be reached).", true);
  readonly webhooks = new Histogram("skilldex_webhook_duration_seconds", "Time to handle one webhook delivery, from the handler's start to its end, by event and result.", LATENCY_BUCKETS);
  readonly scanWait = new Histogram("skilldex_scan_wait_seconds", "Time a scan waited in the queue, from its webhook to a worker taking it.", SCAN_BUCKETS);
  readonly scans = new Histogram("skilldex_scan_duration_seconds", "Time a worker took over one scan, from taking it to completing its check run, by outcome (success, failure, neutral, superseded, error).", SCAN_BUCKETS);
  private readonly queueDepth = new Gauge("skilldex_scan_queue_depth", "Scans waiting and running, by state, across every process that shares the queue.");
  /** The queue's depth when /metrics is read; none when this process has no queue. */
  depthOf: (() => Promise<{ waiting: number; running: number }>) | null = null;

  commandHandled(command: CommandVerb, kind: OutcomeKind): void {
    this.commands.inc({ command, outcome: commandResult(kind) });
  }

  commitMade(): void {
    this.commits.inc();
  }

  conflictRetried(): void {
    this.conflicts.inc();
  }

  pullRequestOpened(): void {
    this.pullRequests.inc();
  }

  githubRequest(status: number | null): void {
    this.githubRequests.inc({ status: status === null ? "none" : String(status) });
  }

  webhookHandled(event: string, result: WebhookResult, seconds: number): void {
    this.webhooks.observe(seconds, { event, result });
  }

  scanWaited(seconds: number): void {
    this.scanWait.observe(seconds);
  }

  scanFinished(outcome: string, seconds: number): void {
    this.scans.observe(seconds, { outcome });
  }

  /** The text exposition format, version 0.0.4. */
  render(depth: { waiting: number; running: number } | null = null): string {
    const metrics = [this.commands, this.commits, this.conflicts, this.pullRequests, this.githubRequests, this.webhooks, this.scanWait, this.scans];
    const lines = metrics.flatMap((metric) => metric.render());
    if (depth) lines.push(...this.queueDepth.render([{ labels: { state: "waiting" }, value: depth.waiting }, { labels: { state: "running" }, value: depth.running }]));
    return `${lines.join("\n")}\n`;
  }

  /** The exposition with the queue's depth, which Redis may have to be asked for; without it when the queue does not answer. */
  async renderWithQueue(): Promise<string> {
    const depth = this.depthOf ? await this.depthOf().catch(() => null) : null;
    return this.render(depth);
  }
}

export const METRICS_PATH = "/metrics";

/** Serves `GET /metrics` from memory; returns false for every other path, like the health handler. */
export function metricsHandler(metrics: AppMetrics): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = req.url?.split("?")[0];
    if (path !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
    void metrics.renderWithQueue().then((text) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : text);
    });
    return true;
  };
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`;
}
