import type {
  AdvancedEventSelector as SdkAdvancedSelector,
  EventSelector as SdkEventSelector,
} from "@aws-sdk/client-cloudtrail";
import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  EventSelector,
  ReadWriteType,
} from "../../model/index.js";
import { type Maybe, unknown } from "../../model/index.js";
import { emptyFieldSelector, FIELD_SELECTOR_OPERATORS } from "../selectors.js";

export function mapEventSelectors(selectors: SdkEventSelector[]): EventSelector[] {
  return selectors.map((s) => ({
    readWriteType: readWriteType(s.ReadWriteType),
    // The API's default for both, when a selector leaves them out.
    includeManagementEvents: s.IncludeManagementEvents ?? true,
    excludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    dataResources: (s.DataResources ?? []).map((d) => ({
      type: d.Type ?? unknown("a data resource without Type"),
      values: d.Values ?? [],
    })),
  }));
}

function readWriteType(value: string | undefined): Maybe<ReadWriteType> {
  if (value === undefined) return "All";
  if (value === "All" || value === "ReadOnly" || value === "WriteOnly") return value;
  return unknown(`ReadWriteType ${JSON.stringify(value)} is not All, ReadOnly or WriteOnly`);
}

export function mapAdvancedSelectors(selectors: SdkAdvancedSelector[]): AdvancedEventSelector[] {
  return selectors.map((s) => ({
    name: s.Name ?? null,
    fieldSelectors: (s.FieldSelectors ?? []).map((f): AdvancedFieldSelector => {
      const selector = emptyFieldSelector(f.Field ?? "");
      for (const { api, model } of FIELD_SELECTOR_OPERATORS) {
        selector[model] = (f as unknown as Record<string, string[] | undefined>)[api] ?? null;
      }
      return selector;
    }),
  }));
}
