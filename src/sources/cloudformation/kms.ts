import type { KmsKey } from "../../model/index.js";
import { isKnown, unknown } from "../../model/index.js";
import { type FileMapping, placeholder, type ResourceInput } from "./context.js";
import { refsOf } from "./fields.js";

export function mapKey(_m: FileMapping, input: ResourceInput): KmsKey {
  const { decl, props, reader: r } = input;
  const id = decl.logicalId;
  const enabled = r.bool(r.get(props, "Enabled", "keyState"), "Enabled", true);
  return input.make<KmsKey>("key", {
    keyId: placeholder(id),
    arn: placeholder(`${id}.Arn`),
    aliases: [],
    keyManager: "CUSTOMER",
    keySpec: r.str(r.get(props, "KeySpec", "keySpec"), "KeySpec", "SYMMETRIC_DEFAULT"),
    keyState: typeof enabled === "boolean" ? (enabled ? "Enabled" : "Disabled") : enabled,
    rotationEnabled: r.bool(r.get(props, "EnableKeyRotation", "rotationEnabled"), "EnableKeyRotation", false),
  });
}

/** `AWS::KMS::Alias`: adds `alias/...` to the aliases of the key of this template it targets. */
export function attachAlias(m: FileMapping, input: ResourceInput): void {
  const { decl, props, reader: r } = input;
  const nameGot = r.get(props, "AliasName", null);
  const name = r.str(nameGot, "AliasName");
  const targetGot = r.get(props, "TargetKeyId", null);
  m.aliasTargets.set(decl.logicalId, refsOf(targetGot.node));
  m.deferred.push(() => {
    const key = m.find(refsOf(targetGot.node), "key");
    if (!key || !isKnown(key.aliases)) return;
    if (input.existence) {
      key.aliases = unknown(
        `the key's aliases are not known: ${input.existence.reason}`,
        input.existence.location,
      );
    } else if (typeof name === "string") key.aliases.push(name);
    else
      key.aliases = unknown(
        `alias ${decl.logicalId} of this key has a name not known before deploy`,
        r.loc(nameGot.pos),
      );
    key.fieldLocations.aliases ??= r.loc(decl.pos);
  });
}
