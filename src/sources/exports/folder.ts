import { basename, dirname } from "node:path/posix";
import type { InputError, SourceLocation } from "../../model/index.js";
import type { Answer, AnswerDocument, AnswerSource } from "../aws-api/answers.js";
import {
  COMMANDS,
  COMMANDS_BY_NAME,
  type CommandSpec,
  commandLine,
  exportFileName,
  parseCliError,
} from "../aws-api/commands.js";
import type { GroupReadContext, SourceFileRef } from "../fragment.js";
import { JsonSyntaxError, LocatedJson } from "../json.js";
import { LineIndex } from "../line-index.js";

interface Entry {
  json?: { path: string; text: string };
  error?: { path: string; text: string };
}

/** The files of one export folder, indexed by command and resource, read lazily through the scan's limits. */
export class ExportFolder implements AnswerSource {
  readonly errors: InputError[] = [];
  private readonly entries = new Map<string, Entry>();
  private readonly answers = new Map<string, Answer>();
  private readonly present = new Map<string, Set<string>>();
  /** Folder path relative to the scan root (`""` for the root itself). */
  readonly dir: string;

  constructor(
    group: SourceFileRef[],
    private readonly ctx: GroupReadContext,
    classify: (
      file: SourceFileRef,
    ) => { command: CommandSpec; id: string; form: "json" | "error" } | undefined,
  ) {
    this.dir = group[0] ? dirname(group[0].path) : ".";
    const unnamed: SourceFileRef[] = [];
    for (const file of group) {
      const name = classify(file);
      if (!name) {
        unnamed.push(file);
        continue;
      }
      this.note(name.command.name, name.id);
      const text = ctx.readText(file.absolutePath);
      if (text === undefined) {
        this.answers.set(key(name.command.name, name.id), {
          kind: "unusable",
          file: file.path,
          reason: `${file.path} could not be read`,
        });
        continue;
      }
      const entry = this.entry(name.command.name, name.id);
      entry[name.form] = { path: file.path, text };
    }
    // Files with other names: filed under the command their content shows, unless a named file already holds it.
    for (const file of unnamed) this.fileByContent(file);
  }

  private note(command: string, id: string): void {
    let ids = this.present.get(command);
    if (!ids) {
      ids = new Set();
      this.present.set(command, ids);
    }
    ids.add(id);
  }

  private entry(command: string, id: string): Entry {
    const k = key(command, id);
    let entry = this.entries.get(k);
    if (!entry) {
      entry = {};
      this.entries.set(k, entry);
    }
    return entry;
  }

  private fileByContent(file: SourceFileRef): void {
    const text = this.ctx.readText(file.absolutePath);
    if (text === undefined) return;
    const parsed = this.parse(file.path, text);
    if (!parsed) return;
    for (const command of COMMANDS) {
      const id = command.identify?.(parsed.root);
      if (id === undefined || !command.shape(parsed.root)) continue;
      const existing = this.entries.get(key(command.name, id));
      if (existing?.json) {
        this.warn(
          file.path,
          `holds ${commandLine(command)} output already given by ${existing.json.path}; not read`,
        );
        return;
      }
      this.note(command.name, id);
      this.entry(command.name, id).json = { path: file.path, text };
      this.answers.set(key(command.name, id), {
        kind: "json",
        file: this.document(parsed),
        root: parsed.root,
      });
      return;
    }
    this.warn(
      file.path,
      "is in an AWS CLI export folder but is not the output of a command trailguard reads",
    );
  }

  /** Ids (trail names, bucket names, ...) for which the folder has a file of this command. */
  ids(command: string): string[] {
    return [...(this.present.get(command) ?? [])];
  }

  /** Path (relative to the scan root) of the file a command's output would be in. */
  expectedPath(command: string, id = ""): string {
    const name = exportFileName(command, id);
    return this.dir === "." || this.dir === "" ? name : `${this.dir}/${name}`;
  }

  answer(command: string, id = ""): Answer {
    const k = key(command, id);
    const cached = this.answers.get(k);
    if (cached) return cached;
    const answer = this.compute(command, id);
    this.answers.set(k, answer);
    return answer;
  }

  private compute(command: string, id: string): Answer {
    const spec = COMMANDS_BY_NAME.get(command);
    if (!spec) throw new Error(`unknown export command ${command}`);
    const entry = this.entries.get(key(command, id));
    const json = entry?.json;
    const error = entry?.error && parseCliError(entry.error.text) ? entry.error : undefined;
    // `aws ... > x.json 2> x.error.txt` leaves an empty JSON file beside the error of a failed command.
    if (json && (json.text.trim() !== "" || !error)) {
      if (json.text.trim() === "")
        return {
          kind: "empty",
          file: json.path,
          location: lineOne(json.path),
          reason: `${json.path} is empty`,
        };
      const parsed = this.parse(json.path, json.text);
      if (!parsed) return { kind: "unusable", file: json.path, reason: `${json.path} is not valid JSON` };
      if (!spec.shape(parsed.root)) {
        this.errors.push({
          code: "export-mismatch",
          file: json.path,
          line: 1,
          column: 1,
          message: `${basename(json.path)} is not the output of \`${commandLine(spec)}\` (expected ${spec.expected})`,
          severity: "error",
        });
        return {
          kind: "unusable",
          file: json.path,
          reason: `${json.path} does not hold \`${commandLine(spec)}\` output`,
        };
      }
      return { kind: "json", file: this.document(parsed), root: parsed.root };
    }
    if (error) {
      const { code, message } = parseCliError(error.text) ?? { code: "", message: "" };
      const reason = `\`${commandLine(spec)}\` failed${code ? ` with ${code}` : ""}${message ? `: ${message}` : ""} (${error.path})`;
      return { kind: "error", file: error.path, code, message, reason, location: lineOne(error.path) };
    }
    const expected = this.expectedPath(command, id);
    return { kind: "absent", expected, reason: `${expected} not in the export` };
  }

  private parse(path: string, text: string): LocatedJson | undefined {
    try {
      return LocatedJson.parse(path, text);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      const at = new LineIndex(text).position(err.offset);
      this.errors.push({
        code: "syntax",
        file: path,
        line: at.line,
        column: at.column,
        message: `not valid JSON: ${err.message}`,
        severity: "error",
      });
      return undefined;
    }
  }

  /** A parsed file as the mappers read it: a value of the wrong type in it is reported once, as a warning. */
  private document(parsed: LocatedJson): AnswerDocument {
    const reported = new Set<string>();
    return {
      path: parsed.path,
      location: (node) => parsed.location(node),
      report: (message, at) => {
        const line = at?.line ?? 1;
        const column = at?.column ?? 1;
        const seen = `${line}:${column}:${message}`;
        if (reported.has(seen)) return;
        reported.add(seen);
        this.errors.push({
          code: "export-mismatch",
          file: parsed.path,
          line,
          column,
          message,
          severity: "warning",
        });
      },
    };
  }

  warn(file: string, message: string): void {
    this.errors.push({
      code: "export-missing",
      file,
      line: 1,
      column: 1,
      message: `${basename(file)} ${message}`,
      severity: "warning",
    });
  }
}

function key(command: string, id: string): string {
  return `${command}\u0000${id}`;
}

function lineOne(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}
