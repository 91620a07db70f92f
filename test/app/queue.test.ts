import { describe, expect, test } from "vitest";
import { WorkQueue } from "../../app/queue.js";

const later = () => {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
};

describe("the work queue", () => {
  test("runs at most its concurrency at once and refuses jobs past its capacity", async () => {
    const queue = new WorkQueue(2, 3, () => {});
    const gates = Array.from({ length: 5 }, later);
    let running = 0;
    let most = 0;
    const taken = gates.map((gate) =>
      queue.push(async () => {
        running++;
        most = Math.max(most, running);
        await gate.done;
        running--;
      }),
    );

    expect(taken).toEqual([true, true, true, true, true]);
    expect(queue.push(async () => {})).toBe(false);
    for (const gate of gates) gate.release();
    expect(await queue.drain(1000)).toBe(true);
    expect(most).toBe(2);
  });

  test("drains what it took before it says it is done, and takes nothing after", async () => {
    const queue = new WorkQueue(1, 10, () => {});
    const finished: number[] = [];
    for (let i = 0; i < 3; i++) queue.push(() => new Promise((resolve) => setTimeout(() => resolve(void finished.push(i)), 20)));

    expect(await queue.drain(1000)).toBe(true);
    expect(finished).toEqual([0, 1, 2]);
    expect(queue.push(async () => {})).toBe(false);
  });

  test("stops waiting at the deadline", async () => {
    const queue = new WorkQueue(1, 10, () => {});
    queue.push(() => new Promise(() => {}));
    expect(await queue.drain(50)).toBe(false);
  });

  test("reports what a job threw and goes on with the next", async () => {
    const problems: unknown[] = [];
    const queue = new WorkQueue(1, 10, (error) => problems.push(error));
    let ran = false;
    queue.push(async () => {
      throw new Error("broken");
    });
    queue.push(async () => {
      ran = true;
    });
    await queue.drain(1000);
    expect(ran).toBe(true);
    expect(problems.map((p) => (p as Error).message)).toEqual(["broken"]);
  });
});
