import type { CollectionTag, ScalarTag } from "yaml";

/**
 * CloudFormation's YAML short forms. Each is accepted on a scalar, a sequence or a mapping; the parser keeps the tag
 * on the node and `parse.ts` rewrites it to the long form (`!Ref X` → `{Ref: X}`).
 */
export const SHORT_FORMS: Record<string, string> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!GetAtt": "Fn::GetAtt",
  "!Sub": "Fn::Sub",
  "!If": "Fn::If",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!ImportValue": "Fn::ImportValue",
  "!FindInMap": "Fn::FindInMap",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!Equals": "Fn::Equals",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Not": "Fn::Not",
  "!Transform": "Fn::Transform",
  "!ToJsonString": "Fn::ToJsonString",
  "!Length": "Fn::Length",
  // The functions of the `Rules` section (parameter assertions).
  "!Contains": "Fn::Contains",
  "!EachMemberEquals": "Fn::EachMemberEquals",
  "!EachMemberIn": "Fn::EachMemberIn",
  "!RefAll": "Fn::RefAll",
  "!ValueOf": "Fn::ValueOf",
  "!ValueOfAll": "Fn::ValueOfAll",
};

function tagsFor(tag: string): (ScalarTag | CollectionTag)[] {
  return [
    { tag, resolve: (value: string) => value },
    { tag, collection: "map", resolve: (value) => value },
    { tag, collection: "seq", resolve: (value) => value },
  ];
}

export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_FORMS).flatMap(tagsFor);
