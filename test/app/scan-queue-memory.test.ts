import { describe, expect, test } from "vitest";
import { MemoryScanQueue, scanWorkersFromEnv } from "../../app/scan-queue-memory.js";
import { describeScanQueueContract, eventually, GatedWorker, scanJob } from "./scan-queue-contract.js";

describeScanQueueContract("in-process", async () => new MemoryScanQueue());

describe("the in-process scan queue", () => {
  test("takes its number of workers from SCAN_WORKERS, 2 by default", () => {
    expect(scanWorkersFromEnv({})).toBe(2);
    expect(scanWorkersFromEnv({ SCAN_WORKERS: "5" })).toBe(5);
    expect(scanWorkersFromEnv({ SCAN_WORKERS: "none" })).toBe(2);
    expect(scanWorkersFromEnv({ SCAN_WORKERS: "0" })).toBe(2);
  });

  test("refuses a job past its capacity, so memory stays bounded", async () => {
    const queue = new MemoryScanQueue(2);
    const worker = new GatedWorker();
    queue.start(worker, 1);
    expect(await queue.add(scanJob())).toBe(true);
    await eventually(() => worker.started.length === 1, "the first job starts");
    expect(await queue.add(scanJob())).toBe(true);
    expect(await queue.add(scanJob())).toBe(true);
    expect(await queue.add(scanJob())).toBe(false);
    worker.releaseAll();
    await eventually(() => worker.started.length === 2, "the second starts");
    worker.releaseAll();
    await eventually(() => worker.started.length === 3, "the third starts");
    worker.releaseAll();
    expect(await queue.close(1000)).toBe(true);
  });
});
