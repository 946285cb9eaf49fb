/**
 * The files each Terraform reader looks at, apart from the readers' code: the scan tells from them whether it needs
 * a reader before loading it (src/scan/readers.ts).
 */
export const TERRAFORM_FILES = {
  name: "terraform",
  extensions: [".tf", ".tfvars", ".tf.json", ".tfvars.json"],
};

export const TERRAFORM_PLAN_FILES = { name: "terraform-plan", extensions: [".json", ".tf"] };
