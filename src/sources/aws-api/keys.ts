import type { KmsKey, SourceLocation } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { type JsonNode, member, stringOf } from "../json.js";
import { type Answer, type AnswerSource, whyNot } from "./answers.js";
import { FieldReader, fromAnswer, listed, required } from "./fields.js";

export function readKeys(folder: AnswerSource): KmsKey[] {
  const listing = listed(folder.answer("list-keys"), "Keys");
  const fromList = new Map<string, { item: JsonNode; reader: FieldReader }>();
  for (const entry of listing) {
    const keyId = stringOf(member(entry.item, "KeyId"));
    if (keyId) fromList.set(keyId, entry);
  }
  const ids = new Set([
    ...fromList.keys(),
    ...folder.ids("describe-key"),
    ...folder.ids("get-key-rotation-status"),
  ]);
  const aliases = keyAliases(folder.answer("list-aliases"));
  return [...ids].map((keyId) => mapKey(folder, keyId, aliases(keyId), fromList.get(keyId)));
}

/** The aliases of each key, from a `list-aliases` answer. */
export function keyAliases(answer: Answer): (keyId: string) => Maybe<string[]> {
  const byKey = new Map<string, string[]>();
  for (const { item } of listed(answer, "Aliases")) {
    const target = stringOf(member(item, "TargetKeyId"));
    const alias = stringOf(member(item, "AliasName"));
    if (target && alias) byKey.set(target, [...(byKey.get(target) ?? []), alias]);
  }
  return (keyId) => (answer.kind === "json" ? (byKey.get(keyId) ?? []) : unknown(whyNot(answer)));
}

/** One key from its `describe-key` and `get-key-rotation-status` answers (and its `list-keys` entry). */
export function mapKey(
  folder: AnswerSource,
  keyId: string,
  aliases: Maybe<string[]>,
  listEntry?: { item: JsonNode; reader: FieldReader },
): KmsKey {
  const locations: Record<string, SourceLocation> = {};
  const describe = folder.answer("describe-key", keyId);
  const meta = describe.kind === "json" ? member(describe.root, "KeyMetadata") : undefined;
  const r = describe.kind === "json" ? new FieldReader(describe.file, locations) : undefined;
  const missing = (field: string) =>
    unknown(
      r ? `${field} is missing from ${r.file.path}` : whyNot(describe),
      describe.kind === "error" ? describe.location : undefined,
    );
  const str = (key: string, field: string): Maybe<string> => {
    if (!r || !meta) return missing(key);
    const v = r.str(member(meta, key), field, key);
    return v === null ? missing(key) : v;
  };
  const arn =
    (meta && stringOf(member(meta, "Arn"))) ?? (listEntry && stringOf(member(listEntry.item, "KeyArn")));
  const id = arn ?? `${folder.dir}#key:${keyId}`;
  const manager = str("KeyManager", "keyManager");
  const rotation = folder.answer("get-key-rotation-status", keyId);
  const spec =
    meta && member(meta, "KeySpec") ? str("KeySpec", "keySpec") : str("CustomerMasterKeySpec", "keySpec");
  if (listEntry && !r) listEntry.reader.record("arn", member(listEntry.item, "KeyArn"));
  return {
    kind: "key",
    id,
    origin: {
      address: id,
      location: meta && r ? r.loc(meta) : listEntry ? listEntry.reader.loc(listEntry.item) : undefined,
    },
    fieldLocations: locations,
    keyId,
    arn: arn ?? missing("Arn"),
    aliases,
    keyManager:
      manager instanceof Unknown || manager === "CUSTOMER" || manager === "AWS"
        ? manager
        : unknown(`KeyManager ${JSON.stringify(manager)} is neither CUSTOMER nor AWS`),
    keySpec: spec,
    keyState: str("KeyState", "keyState"),
    rotationEnabled:
      // AWS managed keys rotate every year; their users can neither change nor ask for it.
      rotation.kind === "absent" && manager === "AWS"
        ? true
        : fromAnswer(rotation, "rotationEnabled", locations, {
            json: (kr, root) =>
              required(
                kr.bool(member(root, "KeyRotationEnabled"), "rotationEnabled", "KeyRotationEnabled", null),
                kr,
                "KeyRotationEnabled",
              ),
            // Asymmetric, HMAC and imported keys cannot rotate automatically.
            notConfigured: { codes: ["UnsupportedOperationException"], value: false },
          }),
  };
}
