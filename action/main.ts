import { run } from "./run.js";

// The runner reads the step's result from the exit code; run() itself never throws.
const result = await run();
process.exitCode = result.exitCode;
