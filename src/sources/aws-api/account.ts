import type { Maybe, Organization } from "../../model/index.js";
import { member, stringOf } from "../json.js";
import type { AnswerSource } from "./answers.js";
import { fromAnswer, listed, required } from "./fields.js";

export function readAccountId(folder: AnswerSource): Maybe<string | null> {
  return fromAnswer(
    folder.answer("get-caller-identity"),
    "accountId",
    {},
    {
      json: (r, root) => required(r.str(member(root, "Account"), null, "Account"), r, "Account"),
    },
  );
}

export function readRegions(folder: AnswerSource): Maybe<string[] | null> {
  return fromAnswer(
    folder.answer("describe-regions"),
    "regions",
    {},
    {
      json: (_r, root) => {
        const out: string[] = [];
        for (const { item } of listed({ kind: "json", file: _r.file, root }, "Regions")) {
          const name = stringOf(member(item, "RegionName"));
          // `describe-regions` without --all-regions lists enabled regions; moto also lists the others, so filter.
          if (name && stringOf(member(item, "OptInStatus")) !== "not-opted-in") out.push(name);
        }
        return out;
      },
    },
  );
}

export function readOrganization(folder: AnswerSource): Maybe<Organization | null> {
  return fromAnswer(
    folder.answer("describe-organization"),
    "organization",
    {},
    {
      json: (r, root): Maybe<Organization | null> => {
        const org = member(root, "Organization");
        if (!org) return null;
        const arn = stringOf(member(org, "Arn"));
        const orgId = required(r.str(member(org, "Id"), "organizationId", "Id"), r, "Id");
        const id = arn ?? `organization:${typeof orgId === "string" ? orgId : "?"}`;
        const locations = r.locations;
        return {
          kind: "organization",
          id,
          origin: { address: id, location: r.loc(org) },
          fieldLocations: locations,
          organizationId: orgId,
          managementAccountId: r.str(
            member(org, "MasterAccountId"),
            "managementAccountId",
            "MasterAccountId",
          ),
          featureSet: r.str(member(org, "FeatureSet"), "featureSet", "FeatureSet"),
          memberAccountIds: fromAnswer(folder.answer("list-accounts"), "memberAccountIds", locations, {
            json: (lr, lroot) => {
              const ids: string[] = [];
              for (const { item } of listed({ kind: "json", file: lr.file, root: lroot }, "Accounts")) {
                const accountId = stringOf(member(item, "Id"));
                if (accountId) ids.push(accountId);
              }
              return ids;
            },
          }),
        };
      },
      notConfigured: { codes: ["AWSOrganizationsNotInUseException"], value: null },
    },
  );
}
