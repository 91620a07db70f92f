/**
 * The deliveries this process has acknowledged and not finished: at most `concurrency` run at
 * once, at most `capacity` wait. A delivery past that is refused at the door (the webhook is
 * answered 503, and GitHub shows it as failed, to be redelivered), so memory stays bounded
 * whatever the burst.
 */
export class WorkQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private closed = false;
  private readonly idle: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
    /** Called with what a job threw; jobs are expected to report their own failures. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Jobs waiting and running. */
  get size(): number {
    return this.waiting.length + this.running;
  }

  /** False when the queue is full or closing: the job will not run. */
  push(job: () => Promise<void>): boolean {
    if (this.closed || this.waiting.length >= this.capacity) return false;
    this.waiting.push(job);
    this.next();
    return true;
  }

  /** Takes no more jobs, and resolves when every job taken has finished, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    if (this.size === 0) return true;
    return untilIdle(this.idle, timeoutMs);
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as () => Promise<void>;
      this.running++;
      void job()
        .catch(this.onError)
        .finally(() => {
          this.running--;
          this.next();
          if (this.size === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }
}

/** Resolves true when one of `idle`'s callbacks is called, false after `timeoutMs`: how a queue waits for its last job. */
export async function untilIdle(idle: (() => void)[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const finished = new Promise<boolean>((resolve) => idle.push(() => resolve(true)));
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([finished, late]);
  } finally {
    clearTimeout(timer);
  }
}
