import type { GroupSourceReader } from "../fragment.js";
import { loadHclParser } from "./parse.js";
import { groupPlans, readPlan } from "./plan.js";
import { groupTerraform, readTerraform } from "./read.js";

export { groupPlans, groupTerraform, loadHclParser, readPlan, readTerraform };

/**
 * Terraform configuration: each directory of `.tf` / `.tf.json` files (with its `terraform.tfvars` / `*.auto.tfvars`
 * and their `.json` forms) is one module, read as a whole together with the local modules it calls.
 */
export const terraformReader: GroupSourceReader = {
  name: "terraform",
  extensions: [".tf", ".tfvars", ".tf.json", ".tfvars.json"],
  prepare: loadHclParser,
  group: groupTerraform,
  read: readTerraform,
};

/**
 * `terraform show -json` plans. Must come before `terraformReader`: a plan claims the `.tf` files beside it (they
 * give the plan's resources their source locations), so those files are not read twice.
 */
export const terraformPlanReader: GroupSourceReader = {
  name: "terraform-plan",
  extensions: [".json", ".tf"],
  prepare: loadHclParser,
  group: groupPlans,
  read: readPlan,
};
