import type { InputError } from "../model/index.js";
import { printable } from "../report/printable.js";

/** Input problems on standard error, as `severity[code]: file:line: message`. */
export function printErrors(errors: InputError[]): void {
  for (const error of errors) {
    const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ""}: ` : "";
    process.stderr.write(`${error.severity}[${error.code}]: ${printable(`${where}${error.message}`)}\n`);
  }
}
