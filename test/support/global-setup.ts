import type { TestProject } from "vitest/node";
import { startRunService } from "./run-service.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the run service (run-service.ts). */
    runService: string;
  }
}

/** Starts the service the test files of this run share (moto scenarios, notes), and stops it at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const service = await startRunService();
  project.provide("runService", service.url);
  // Inherited by the test files' processes, which start the aws CLI too.
  process.env.PATH = service.path;
  if (process.env.npm_lifecycle_event === "test") service.prepareAll(); // `npm test`: the whole suite

  return () => service.close();
}
