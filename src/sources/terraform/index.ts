import type { GroupSourceReader } from "../fragment.js";
import { TERRAFORM_FILES, TERRAFORM_PLAN_FILES } from "./files.js";
import { loadHclParser } from "./parse.js";
import { groupPlans, readPlan } from "./plan.js";
import { groupTerraform, readTerraform } from "./read.js";

export { groupPlans, groupTerraform, loadHclParser, readPlan, readTerraform };

/**
 * Terraform configuration: each directory of `.tf` / `.tf.json` files (with its `terraform.tfvars` / `*.auto.tfvars`
 * and their `.json` forms) is one module, read as a whole together with the local modules it calls.
 */
export const terraformReader: GroupSourceReader = {
  ...TERRAFORM_FILES,
  prepare: loadHclParser,
  group: groupTerraform,
  read: readTerraform,
};

/**
 * `terraform show -json` plans. Must come before `terraformReader`: a plan claims the `.tf` files beside it (they
 * give the plan's resources their source locations), so those files are not read twice.
 */
export const terraformPlanReader: GroupSourceReader = {
  ...TERRAFORM_PLAN_FILES,
  // The HCL parser reads only the `.tf` files beside a plan: a scan of JSON alone (CloudFormation) does without it.
  prepare: async (files) => {
    if (files.some((f) => f.path.endsWith(".tf"))) await loadHclParser();
  },
  group: groupPlans,
  read: readPlan,
};
