// Types for the generated standalone validators (scripts/schema-validators.mjs).
import type { ErrorObject } from "ajv";

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const validatePack: GeneratedValidator;
export declare const validateFramework: GeneratedValidator;
export declare const validateConfig: GeneratedValidator;
