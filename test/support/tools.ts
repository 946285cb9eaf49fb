import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Whether an executable of that name is on PATH. Cheaper than running it: cfn-lint takes seconds to print its
 * version, and the suites that use a tool run it anyway (and fail on a broken one).
 */
export function onPath(tool: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
