import { Worker } from "node:worker_threads";
import type { ReadBatch, ThreadMessage } from "./read-thread.js";
import type { DecodedRead } from "./types.js";

/** The thread's module, beside this one (in the Action's bundle too, where it is built beside index.js). */
const THREAD_MODULE = "./read-thread.js";
/** A thread with nothing to read for this long stops: a source its owner never disposes leaves no thread behind. */
const IDLE_STOP_MS = 2000;

interface Waiter {
  maxBytes: number;
  resolve: (read: DecodedRead | null) => void;
}

/**
 * Files read and decoded on a second thread ahead of the scan asking for them: the scan parses
 * and judges the files that have arrived while the next are read. Each file is read once; a file never asked
 * for ahead, or asked for with a smaller cap than it needs, is read by the caller itself. If the
 * thread fails, every file still awaited is left to the caller.
 */
export class ReadAhead {
  /** Files asked for, in order, not yet answered; `head` is the next to be answered. */
  private queue: string[] = [];
  private head = 0;
  /** Each file asked for and not yet taken. */
  private readonly asked = new Set<string>();
  private readonly arrived = new Map<string, DecodedRead>();
  private readonly waiting = new Map<string, Waiter[]>();
  private failed = false;

  private idle: NodeJS.Timeout | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (batch: ReadBatch) => this.receive(batch));
    // A batch that cannot be read back would put every later answer against the wrong file: the
    // thread is given up, and what is still awaited is read here.
    worker.on("messageerror", () => this.fail());
    worker.on("error", () => this.fail());
    worker.on("exit", () => this.fail());
    // An idle thread never keeps the process alive (a listener refs it: unref after adding them),
    // and one left idle by its owner stops by itself; one with files to read runs until they arrive.
    this.rest();
  }

  /** A reading thread, or null where none can start (the caller then reads every file itself). */
  static start(): ReadAhead | null {
    try {
      return new ReadAhead(new Worker(new URL(THREAD_MODULE, import.meta.url)));
    } catch {
      return null;
    }
  }

  /** Asks for files (by their listed paths and the paths to open), skipping those asked for already. */
  request(paths: readonly string[], targets: readonly (string | Uint8Array)[], maxBytes: number): void {
    if (this.failed) return;
    const fresh: string[] = [];
    const freshTargets: (string | Uint8Array)[] = [];
    paths.forEach((path, i) => {
      if (this.asked.has(path)) return;
      this.asked.add(path);
      this.queue.push(path);
      fresh.push(path);
      freshTargets.push(targets[i] as string | Uint8Array);
    });
    if (fresh.length === 0) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.worker.ref();
    this.worker.postMessage({ paths: fresh, targets: freshTargets, maxBytes } satisfies ThreadMessage);
  }

  /**
   * A file's read if it was asked for ahead: at once when it has arrived, when it arrives
   * otherwise; null when the caller must read it itself.
   */
  take(path: string, maxBytes: number): DecodedRead | null | Promise<DecodedRead | null> {
    if (!this.asked.has(path)) return null;
    const read = this.arrived.get(path);
    if (read) {
      this.arrived.delete(path);
      this.asked.delete(path);
      return fit(read, maxBytes);
    }
    if (this.failed) return null;
    return new Promise((resolve) => {
      const waiters = this.waiting.get(path);
      if (waiters) waiters.push({ maxBytes, resolve });
      else this.waiting.set(path, [{ maxBytes, resolve }]);
    });
  }

  /**
   * Stops the thread without waiting for it: it closes its own end and exits on its own, so
   * neither this call nor the process's exit waits for it to be torn down.
   */
  stop(): void {
    if (this.failed) return;
    this.fail();
    this.worker.postMessage("close" satisfies ThreadMessage);
  }

  private receive(batch: ReadBatch): void {
    if (this.failed) return;
    for (const read of batch) {
      const path = this.queue[this.head++] as string;
      const waiters = this.waiting.get(path);
      if (!waiters) {
        this.arrived.set(path, read);
        continue;
      }
      this.waiting.delete(path);
      this.asked.delete(path);
      for (const waiter of waiters) waiter.resolve(fit(read, waiter.maxBytes));
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.rest();
    }
  }

  /** Nothing left to read: the thread lets the process exit, and stops if nothing more is asked for soon. */
  private rest(): void {
    this.worker.unref();
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_STOP_MS);
    this.idle.unref();
  }

  /** The thread is gone: whatever is still awaited is read by its callers. */
  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    if (this.idle) clearTimeout(this.idle);
    for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.resolve(null);
    this.waiting.clear();
    this.worker.unref();
  }
}

/** A read made ahead, as a caller with cap `maxBytes` would have had it; null when it must read again with its larger cap. */
function fit(read: DecodedRead, maxBytes: number): DecodedRead | null {
  if (read.ok) return read.file.size > maxBytes ? { ok: false, code: "too_large", size: read.file.size } : read;
  if (read.code === "too_large") return read.size > maxBytes ? read : null;
  return read;
}
