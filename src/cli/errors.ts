import type { InputError } from "../model/index.js";
import { terminalText } from "../report/index.js";

/** Input problems on standard error, as `severity[code]: file:line: message`. */
export function printErrors(errors: InputError[]): void {
  for (const error of errors) {
    // File names and messages come from inputs: a newline or escape sequence in them must not forge a line.
    const where = error.file ? `${terminalText(error.file)}${error.line ? `:${error.line}` : ""}: ` : "";
    process.stderr.write(`${error.severity}[${error.code}]: ${where}${terminalText(error.message)}\n`);
  }
}
