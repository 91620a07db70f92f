#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps the compiled code of skilldex's modules between runs (about a tenth of a
// small scan's start-up); older Node has no such cache and starts as before.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runCli } = await import("./run.js");

// `skilldex scan | head` closes the pipe early; that is the reader's choice, not an error: the
// rest of the output is dropped and the run still ends with its own exit code.
let readerGone = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  readerGone = true;
});

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => {
    if (!readerGone) process.stdout.write(text);
  },
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
