import { Redactor } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/**
 * Structured logs: one JSON object a line, each carrying the trace id of its run or delivery, so
 * that every line of one index run or one command can be found together. Secrets are redacted
 * from the whole line, whatever field they hide in.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry these fields too (an artifact key, a command). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  traceId: string;
  /** Where lines go; standard error by default, so standard output stays the report's. */
  write?: (line: string) => void;
  level?: LogLevel;
  redactor?: Redactor;
  fields?: LogFields;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const min = ORDER[options.level ?? "info"];
  const redactor = options.redactor ?? new Redactor();
  const now = options.now ?? (() => new Date());
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
      if (ORDER[level] < min) return;
      const record = { level, time: now().toISOString(), message, traceId: options.traceId, ...base, ...fields };
      write(`${redactor.redact(JSON.stringify(record, errorsAsText))}\n`);
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** Errors serialise as their name and message; a stack only says where skilldex was, not why. */
function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

/** A logger that writes nothing, for callers that did not ask for logs. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

export function parseLogLevel(value: string | undefined, fallback: LogLevel = "info"): LogLevel {
  const v = value?.toLowerCase();
  if (v === "trace") return "debug";
  if (v === "fatal") return "error";
  return v === "debug" || v === "info" || v === "warn" || v === "error" ? v : fallback;
}
