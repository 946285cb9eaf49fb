import type { AdvancedFieldSelector } from "../model/index.js";

type Operator = Exclude<keyof AdvancedFieldSelector, "field">;

/**
 * The operators of an advanced event selector's field selector, as the CloudTrail API / CloudFormation / AWS CLI name
 * them, as Terraform names them, and as the model does. Every source reads them from this one table.
 */
export const FIELD_SELECTOR_OPERATORS: readonly { api: string; terraform: string; model: Operator }[] = [
  { api: "Equals", terraform: "equals", model: "equals" },
  { api: "NotEquals", terraform: "not_equals", model: "notEquals" },
  { api: "StartsWith", terraform: "starts_with", model: "startsWith" },
  { api: "NotStartsWith", terraform: "not_starts_with", model: "notStartsWith" },
  { api: "EndsWith", terraform: "ends_with", model: "endsWith" },
  { api: "NotEndsWith", terraform: "not_ends_with", model: "notEndsWith" },
];

/** A field selector on `field` with no operator set yet. */
export function emptyFieldSelector(field: string): AdvancedFieldSelector {
  return {
    field,
    equals: null,
    notEquals: null,
    startsWith: null,
    notStartsWith: null,
    endsWith: null,
    notEndsWith: null,
  };
}

/**
 * Whether an Insights selector is on management events, which are what the Insights rules are about: without
 * `EventCategories` AWS enables it on management events; a list enables it on the categories listed only.
 */
export function insightsOnManagementEvents(eventCategories: readonly string[] | null | undefined): boolean {
  return eventCategories == null || eventCategories.includes("Management");
}
