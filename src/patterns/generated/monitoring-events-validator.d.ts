// Types for the generated standalone validator (scripts/patterns-generated.mjs).
import type { ErrorObject } from "ajv";

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const validateMonitoringEvents: GeneratedValidator;
