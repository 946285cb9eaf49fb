// Types for the generated catalog module (scripts/patterns-generated.mjs).
export declare const BUILT_IN_CATALOG: string;
export declare const builtInCatalogContent: unknown;
