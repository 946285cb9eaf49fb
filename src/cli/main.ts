import { CommanderError } from "commander";
import { buildProgram, EXIT } from "./program.js";

// `trailguard rules | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

let exitCode: number = EXIT.ok;
const program = buildProgram((code) => {
  exitCode = code;
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed.
    exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.inputError;
  } else {
    process.stderr.write(`trailguard: ${(error as Error).stack ?? String(error)}\n`);
    exitCode = EXIT.inputError;
  }
}
process.exitCode = exitCode;
