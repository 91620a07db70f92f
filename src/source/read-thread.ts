/**
 * The second thread of a workspace scan: reads and decodes the files it is asked for, in order,
 * and sends them back in batches as plain data, only what their parsers take (a Markdown file's
 * frontmatter, not its body). Started by ReadAhead (read-ahead.ts).
 */
import { parentPort } from "node:worker_threads";
import { readFromDiskTransient } from "./disk.js";
import { decodeRead, type DecodedRead } from "./types.js";

export interface ReadRequest {
  /** Listed paths, to decode each by its name. */
  paths: string[];
  /** Full paths, as strings or, for names that are not valid UTF-8, as bytes. */
  targets: (string | Uint8Array)[];
  maxBytes: number;
}

/** What the thread is sent: files to read, or `close` when it is no longer needed. */
export type ThreadMessage = ReadRequest | "close";

/** The answers to the next files asked for, in the order they were asked for. */
export type ReadBatch = DecodedRead[];

/** A batch goes back at this many files, so the first files arrive while the rest are read. */
const BATCH_FILES = 32;

const port = parentPort;
if (port) {
  port.on("message", (message: ThreadMessage) => {
    // Closing its end leaves the thread nothing to wait for: it exits by itself.
    if (message === "close") return port.close();
    const { paths, targets, maxBytes } = message;
    let batch: ReadBatch = [];
    paths.forEach((path, i) => {
      const target = targets[i] as string | Uint8Array;
      batch.push(decodeRead(path, readFromDiskTransient(typeof target === "string" ? target : Buffer.from(target), maxBytes)));
      if (batch.length >= BATCH_FILES) {
        port.postMessage(batch);
        batch = [];
      }
    });
    if (batch.length > 0) port.postMessage(batch);
  });
}
