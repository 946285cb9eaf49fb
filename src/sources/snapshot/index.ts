/**
 * Snapshots: an account inventory written to a JSON file and read back as it was, Unknown values (with their
 * reasons) and `null`s included, so that scanning the file later gives the findings the live scan gave. The format
 * is documented by policies/schema/snapshot.schema.json:
 *
 *   { "trailguardSnapshot": 1, "generator": "trailguard/0.1.0", "accounts": [ { "key": …, "trails": [ … ] } ] }
 *
 * An Unknown value is written `{"$unknown": "<reason>"}` (plus `"location"` when it has one). Resources read back
 * are placed in the snapshot: `origin.location` is the line of the resource's object, and each top-level field
 * without a recorded location gets the line of its key, so findings point into the file.
 */
import type {
  AccountInventory,
  Coverage,
  InputError,
  InputErrorCode,
  Resource,
  SourceLocation,
} from "../../model/index.js";
import {
  BOOKKEEPING_FIELDS,
  emptyAccount,
  KIND,
  KIND_OF_LIST,
  LISTED_KINDS,
  markCoverage,
  RESOURCE_LISTS,
  type ResourceListName,
  Unknown,
} from "../../model/index.js";
import type { FileSourceReader, ReadResult, SourceFile } from "../fragment.js";
import { type JsonNode, JsonSyntaxError, type Pos, parseJson } from "./json.js";
import { checkResourceShape } from "./shape.js";

export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_MARKER = "trailguardSnapshot";

/** Fields of a resource that are bookkeeping, not settings: they get no snapshot field location. */
const BOOKKEEPING = new Set<string>(["kind", "id", ...BOOKKEEPING_FIELDS]);

export interface WriteOptions {
  /** `trailguard/<version>`, recorded for the reader's information. */
  generator?: string;
}

/** The snapshot text of the given accounts: pretty-printed JSON, one field per line, stable field order. */
export function writeSnapshot(accounts: AccountInventory[], options: WriteOptions = {}): string {
  const doc = {
    [SNAPSHOT_MARKER]: SNAPSHOT_VERSION,
    ...(options.generator ? { generator: options.generator } : {}),
    accounts: accounts.map((a) => ({
      key: a.key,
      accountId: a.accountId,
      regions: a.regions,
      completeAccount: a.completeAccount,
      ...incompleteCoverage(a),
      anchor: a.anchor,
      organization: a.organization,
      ...Object.fromEntries(RESOURCE_LISTS.map((list) => [list, a[list]])),
    })),
  };
  return `${JSON.stringify(doc, encode, 2)}\n`;
}

/** Only the lists that are not complete are written: `"coverage": {"alarms": {"state": "not-collected", …}}`. */
function incompleteCoverage(account: AccountInventory): { coverage?: Partial<AccountInventory["coverage"]> } {
  const entries = Object.entries(account.coverage).filter(([, c]) => c.state !== "complete");
  return entries.length > 0 ? { coverage: Object.fromEntries(entries) } : {};
}

function encode(_key: string, value: unknown): unknown {
  if (value instanceof Unknown) {
    return value.location ? { $unknown: value.reason, location: value.location } : { $unknown: value.reason };
  }
  return value;
}

export interface SnapshotContents {
  accounts: AccountInventory[];
  errors: InputError[];
}

/** Is this text a snapshot? A cheap look at its start, before any parsing. */
export function looksLikeSnapshot(text: string): boolean {
  return /^\s*\{\s*"trailguardSnapshot"\s*:/.test(text.slice(0, 200));
}

/**
 * Reads a snapshot with everything it holds: accounts (id, regions, whether complete) and their resources.
 * Returns undefined when the text is not a snapshot.
 */
export function readSnapshot(file: SourceFile): SnapshotContents | undefined {
  if (!looksLikeSnapshot(file.text)) return undefined;
  const errors: InputError[] = [];
  const at = (pos: Pos): SourceLocation => ({ file: file.path, line: pos.line, column: pos.column });
  const problem = (message: string, pos: Pos, code: InputErrorCode = "snapshot-invalid") =>
    errors.push({ code, file: file.path, line: pos.line, column: pos.column, message, severity: "error" });

  let root: JsonNode;
  try {
    root = parseJson(file.text);
  } catch (error) {
    const pos = error instanceof JsonSyntaxError ? error.pos : { line: 1, column: 1 };
    problem(`snapshot is not valid JSON: ${(error as Error).message}`, pos, "syntax");
    return { accounts: [], errors };
  }
  if (root.kind !== "object") return undefined;
  const version = entry(root, SNAPSHOT_MARKER);
  if (version?.kind !== "scalar" || version.value !== SNAPSHOT_VERSION) {
    problem(
      `unsupported snapshot version ${JSON.stringify(version?.kind === "scalar" ? version.value : "?")}: ` +
        `this trailguard reads version ${SNAPSHOT_VERSION}`,
      version?.pos ?? root.pos,
    );
    return { accounts: [], errors };
  }
  const list = entry(root, "accounts");
  if (list?.kind !== "array") {
    problem("a snapshot needs an `accounts` list", root.pos);
    return { accounts: [], errors };
  }

  const accounts: AccountInventory[] = [];
  for (const node of list.items) {
    if (node.kind !== "object") {
      problem("an account must be an object", node.pos);
      continue;
    }
    const key = scalar(entry(node, "key"));
    if (typeof key !== "string") {
      problem("an account needs a string `key`", node.pos);
      continue;
    }
    const anchorNode = entry(node, "anchor");
    const anchor = (anchorNode ? decode(anchorNode) : null) as AccountInventory["anchor"] | null;
    const account = emptyAccount(
      key,
      {
        address: typeof anchor?.address === "string" ? anchor.address : key,
        location: anchor?.location ?? at(node.pos),
      },
      scalar(entry(node, "completeAccount")) === true,
    );
    const accountId = entry(node, "accountId");
    if (accountId) account.accountId = decode(accountId) as AccountInventory["accountId"];
    const regions = entry(node, "regions");
    if (regions) account.regions = decode(regions) as AccountInventory["regions"];
    const coverage = entry(node, "coverage");
    if (coverage) {
      for (const [list, value] of Object.entries(decode(coverage) as Record<string, Coverage>)) {
        if (list in KIND_OF_LIST && (value.state === "partial" || value.state === "not-collected")) {
          markCoverage(account, list as ResourceListName, value.state, value.reason ?? "not recorded");
        }
      }
    }
    const organization = entry(node, "organization");
    if (organization && organization.kind === "object" && !entry(organization, "$unknown")) {
      account.organization = readResource(
        organization,
        "organization",
        at,
        problem,
      ) as AccountInventory["organization"];
    } else if (organization) account.organization = decode(organization) as AccountInventory["organization"];

    for (const { list: name, kind } of LISTED_KINDS) {
      const items = entry(node, name);
      if (!items) continue;
      if (items.kind !== "array") {
        problem(`\`${name}\` must be a list`, items.pos);
        continue;
      }
      const out = account[name] as Resource[];
      for (const item of items.items) {
        const resource = readResource(item, kind, at, problem);
        if (resource) out.push(resource);
      }
    }
    accounts.push(account);
  }
  // A snapshot that is not what trailguard writes is not judged in part: no verdict rests on a half-read file.
  return errors.length > 0 ? { accounts: [], errors } : { accounts, errors };
}

function readResource(
  node: JsonNode,
  kind: Resource["kind"],
  at: (pos: Pos) => SourceLocation,
  problem: (message: string, pos: Pos) => void,
): Resource | undefined {
  if (node.kind !== "object") {
    problem(`a ${kind} must be an object`, node.pos);
    return undefined;
  }
  const value = decode(node) as Record<string, unknown>;
  if (value.kind !== kind || typeof value.id !== "string") {
    problem(`expected a ${kind} with a string \`id\` (found kind ${JSON.stringify(value.kind)})`, node.pos);
    return undefined;
  }
  let wellFormed = true;
  checkResourceShape(node, kind, (message, pos) => {
    wellFormed = false;
    problem(message, pos);
  });
  if (!wellFormed) return undefined;
  const origin = value.origin as { address?: unknown } | undefined;
  const fieldLocations = { ...((value.fieldLocations as Record<string, SourceLocation> | undefined) ?? {}) };
  for (const e of node.entries) {
    if (!BOOKKEEPING.has(e.key) && !(e.key in fieldLocations)) fieldLocations[e.key] = at(e.keyPos);
  }
  // A field an older snapshot did not record is not known, rather than unset.
  for (const field of Object.keys(KIND[kind].fields)) {
    if (!(field in value))
      value[field] = new Unknown(`${field} is not recorded in the snapshot`, at(node.pos));
  }
  return {
    ...value,
    origin: {
      address: typeof origin?.address === "string" ? origin.address : value.id,
      location: at(node.pos),
    },
    fieldLocations,
    ...(kind === "trail" || kind === "bucket" || kind === "metric-filter"
      ? { links: value.links ?? {} }
      : {}),
  } as unknown as Resource;
}

/** JSON → model value: `{"$unknown": …}` objects become Unknown; everything else is kept as written. */
function decode(node: JsonNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "array") return node.items.map(decode);
  const reason = entry(node, "$unknown");
  if (reason?.kind === "scalar" && typeof reason.value === "string") {
    const location = entry(node, "location");
    return new Unknown(reason.value, location ? (decode(location) as SourceLocation) : undefined);
  }
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = decode(e.value);
  return out;
}

function entry(node: JsonNode, key: string): JsonNode | undefined {
  return node.kind === "object" ? node.entries.find((e) => e.key === key)?.value : undefined;
}

function scalar(node: JsonNode | undefined): unknown {
  return node?.kind === "scalar" ? node.value : undefined;
}

/** The snapshot as a file source: the accounts it records, each evaluated as the whole account it was. */
export const snapshotReader: FileSourceReader = {
  name: "snapshot",
  extensions: [".json"],
  read(file: SourceFile): ReadResult {
    const contents = readSnapshot(file);
    if (!contents) return { status: "not-mine" };
    return { status: "accounts", accounts: contents.accounts, errors: contents.errors };
  },
};
