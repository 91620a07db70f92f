/**
 * The second thread of a workspace scan: reads the files it is asked for, in order, and sends
 * their bytes back in batches, each batch one buffer handed over without a copy. Started by
 * ReadAhead (read-ahead.ts).
 */
import { parentPort } from "node:worker_threads";
import { readFromDisk } from "./disk.js";
import type { ReadResult } from "./types.js";

export interface ReadRequest {
  /** Full paths, as strings or, for names that are not valid UTF-8, as bytes. */
  paths: (string | Uint8Array)[];
  maxBytes: number;
}

/** A file's bytes as a slice of the batch's buffer, or why it could not be read. */
export type ThreadRead = { ok: true; offset: number; length: number } | Exclude<ReadResult, { ok: true }>;

export interface ReadBatch {
  /** The answers to the next files asked for, in the order they were asked for. */
  reads: ThreadRead[];
  buffer: ArrayBuffer;
}

/** A batch goes back at this many files or bytes, so the first files arrive while the rest are read. */
const BATCH_FILES = 32;
const BATCH_BYTES = 256 * 1024;

const port = parentPort;
if (port) {
  port.on("message", ({ paths, maxBytes }: ReadRequest) => {
    let pending: (Uint8Array | ThreadRead)[] = [];
    let size = 0;
    const flush = (): void => {
      const buffer = new ArrayBuffer(size);
      const view = new Uint8Array(buffer);
      let offset = 0;
      const reads = pending.map((read): ThreadRead => {
        if (!(read instanceof Uint8Array)) return read;
        view.set(read, offset);
        offset += read.length;
        return { ok: true, offset: offset - read.length, length: read.length };
      });
      port.postMessage({ reads, buffer } satisfies ReadBatch, [buffer]);
      pending = [];
      size = 0;
    };
    for (const path of paths) {
      const read = readFromDisk(typeof path === "string" ? path : Buffer.from(path), maxBytes);
      if (read.ok) {
        pending.push(read.bytes);
        size += read.bytes.length;
      } else {
        pending.push(read);
      }
      if (pending.length >= BATCH_FILES || size >= BATCH_BYTES) flush();
    }
    if (pending.length > 0) flush();
  });
}
