import { type Answer, type AnswerSource, liveDocument, nodeOf } from "../aws-api/answers.js";
import { describeError, errorName, isNotConfigured } from "./errors.js";

/** The answers of the calls a live collection made, under the AWS CLI's command names, for the shared mappers. */
export class LiveAnswers implements AnswerSource {
  readonly dir = "";
  private readonly answers = new Map<string, Answer>();

  set(command: string, id: string, answer: Answer): void {
    this.answers.set(key(command, id), answer);
  }

  answer(command: string, id = ""): Answer {
    return this.answers.get(key(command, id)) ?? { kind: "absent", reason: `${command} was not asked` };
  }

  ids(command: string): string[] {
    const prefix = key(command, "");
    return [...this.answers.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }
}

function key(command: string, id: string): string {
  return `${command}\u0000${id}`;
}

/**
 * Makes one call and returns its answer: the response as the AWS CLI would print it, or the error with its code.
 * `warn` hears of every failure except the errors by which the API says "not configured".
 */
export async function ask(
  operation: string,
  run: () => Promise<unknown>,
  warn: (reason: string) => void = () => {},
): Promise<Answer> {
  try {
    return { kind: "json", file: liveDocument(operation), root: nodeOf(await run()) };
  } catch (error) {
    const reason = describeError(operation, error);
    if (!isNotConfigured(operation, error)) warn(reason);
    const raw = (error as { message?: unknown })?.message;
    return {
      kind: "error",
      code: errorName(error),
      message: typeof raw === "string" ? raw : "",
      reason,
    };
  }
}
