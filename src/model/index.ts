export type { AccountAnchor, AccountInventory, InputError, Inventory, ResourceLists } from "./inventory.js";
export { emptyAccount, emptyResourceLists, RESOURCE_LISTS, resourcesOf } from "./inventory.js";
export { linkAccount, logGroupNameFromArn } from "./link.js";
export type { ResourceOrigin, SourceLocation } from "./location.js";
export type * from "./resources.js";
export { isKnown, isUnknown, type Maybe, Unknown, unknown } from "./value.js";
