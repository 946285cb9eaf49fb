import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  DataResource,
  EventSelector,
  ReadWriteType,
} from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { emptyFieldSelector, FIELD_SELECTOR_OPERATORS } from "../selectors.js";
import type { FieldReader, Got } from "./fields.js";
import type { RNode } from "./tree.js";

const READ_WRITE_TYPES = new Set(["All", "ReadOnly", "WriteOnly"]);

/** `EventSelectors` of a trail. Absent → null (AWS's default selector: all management events). */
export function readEventSelectors(r: FieldReader, got: Got, field: string): Maybe<EventSelector[] | null> {
  const items = r.list(got, "EventSelectors");
  if (items === null || items instanceof Unknown) return items;
  return items.map((item, i): EventSelector => {
    const sel: Got = { node: item, pos: item.pos };
    const path = `${field}[${i}]`;
    r.record(path, item.pos);
    const rw = r.str(r.get(sel, "ReadWriteType", `${path}.readWriteType`), "ReadWriteType", "All");
    let readWriteType: Maybe<ReadWriteType>;
    if (typeof rw !== "string") readWriteType = rw;
    else if (READ_WRITE_TYPES.has(rw)) readWriteType = rw as ReadWriteType;
    else readWriteType = unknown(`ReadWriteType ${JSON.stringify(rw)} is not All, ReadOnly or WriteOnly`);
    const excluded = r.strList(
      r.get(sel, "ExcludeManagementEventSources", `${path}.excludeManagementEventSources`),
      "ExcludeManagementEventSources",
    );
    return {
      readWriteType,
      includeManagementEvents: r.bool(
        r.get(sel, "IncludeManagementEvents", `${path}.includeManagementEvents`),
        "IncludeManagementEvents",
        true,
      ),
      excludeManagementEventSources: excluded ?? [],
      dataResources: readDataResources(
        r,
        r.get(sel, "DataResources", `${path}.dataResources`),
        `${path}.dataResources`,
      ),
    };
  });
}

function readDataResources(r: FieldReader, got: Got, path: string): Maybe<DataResource[]> {
  const items = r.list(got, "DataResources");
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  return items.map((item, i): DataResource => {
    const d: Got = { node: item, pos: item.pos };
    const type = r.str(r.get(d, "Type", `${path}[${i}].type`), "DataResources Type");
    const values = r.strList(r.get(d, "Values", `${path}[${i}].values`), "DataResources Values");
    return {
      type: type === null ? unknown("DataResource Type is required and missing") : type,
      values: values ?? [],
    };
  });
}

/** `AdvancedEventSelectors` of a trail or event data store. Absent → null. */
export function readAdvancedSelectors(
  r: FieldReader,
  got: Got,
  field: string,
): Maybe<AdvancedEventSelector[] | null> {
  const items = r.list(got, "AdvancedEventSelectors");
  if (items === null || items instanceof Unknown) return items;
  return items.map((item, i): AdvancedEventSelector => {
    const sel: Got = { node: item, pos: item.pos };
    const path = `${field}[${i}]`;
    r.record(path, item.pos);
    const name = r.str(r.get(sel, "Name", `${path}.name`), "Name");
    const fsGot = r.get(sel, "FieldSelectors", `${path}.fieldSelectors`);
    const fsItems = r.list(fsGot, "FieldSelectors");
    let fieldSelectors: Maybe<AdvancedFieldSelector[]>;
    if (fsItems === null)
      fieldSelectors = unknown("FieldSelectors is required and missing", r.loc(fsGot.pos));
    else if (fsItems instanceof Unknown) fieldSelectors = fsItems;
    else fieldSelectors = readFieldSelectors(r, fsItems, `${path}.fieldSelectors`);
    return { name, fieldSelectors };
  });
}

function readFieldSelectors(r: FieldReader, items: RNode[], path: string): Maybe<AdvancedFieldSelector[]> {
  const out: AdvancedFieldSelector[] = [];
  for (const [i, item] of items.entries()) {
    const fs: Got = { node: item, pos: item.pos };
    const fieldName = r.str(r.get(fs, "Field", `${path}[${i}].field`), "Field");
    if (fieldName instanceof Unknown) return fieldName;
    if (fieldName === null) return unknown("FieldSelectors Field is required and missing", r.loc(item.pos));
    const selector = emptyFieldSelector(fieldName);
    for (const { api, model } of FIELD_SELECTOR_OPERATORS) {
      const values = r.strList(r.get(fs, api, `${path}[${i}].${model}`), api);
      if (values instanceof Unknown) return values;
      selector[model] = values;
    }
    out.push(selector);
  }
  return out;
}
