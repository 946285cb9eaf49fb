import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a as t}from"./chunk-HXN5TCCQ.js";import{a as r}from"./chunk-BQBWHMYX.js";import{existsSync as o,writeFileSync as i}from"node:fs";var a=`# trailguard project config, described in
# https://github.com/trailguard/trailguard#project-config-waivers-and-baselines
# Found by walking up from the scan root (up to the repository's top), or given with --config.
# Command-line options and action inputs override what is set here. Paths are relative to this file.
version: 1

# Extra rule packs, loaded with the built-in ones.
packs: []

# Only these rules, and rules to leave out: ids or globs (bucket.*).
rules: []
skip-rules: []

# Severity overrides: rule id or glob -> critical, high, medium, low or info. The longest pattern wins.
severity: {}
#  bucket.mfa-delete: info

# Compliance frameworks to report on (trailguard rules lists the controls), e.g. cis-aws-5.0.0, pci-dss-4.0.
frameworks: []

# Exit 1 when a finding at or above this severity fails (none: never); unknown findings count unless false.
fail-on: low
fail-on-unknown: true

# account: each scanned path shows a whole account, so account rules (trail.enabled) apply.
scope: resource

# Reports: a format (text, json, sarif, markdown) and a file; at most one without a file (standard output).
output:
  - format: text
#  - format: sarif
#    file: trailguard.sarif

# A baseline written by \`trailguard scan --write-baseline .trailguard-baseline.json\`: the findings it records
# are shown as existing and do not fail; only new ones do.
# baseline: .trailguard-baseline.json

# false: ignore trailguard:ignore comments in the scanned files (a central pipeline's choice).
inline-suppressions: true

# Accepted findings. Each needs a reason (a sentence) and an expiry date, after which the finding fails again;
# \`permanent: true\` instead of \`expires\` for a waiver with no end. A waiver that matches nothing is reported.
waivers: []
#  - rule: bucket.access-logging            # rule id or glob
#    resource: arn:aws:s3:::org-trail-logs   # ARN, logical id, Terraform address, name, or a glob
#    account: "123456789012"                 # optional: account id (quoted) or glob
#    reason: Access logs go to the central logging account through replication.
#    expires: 2026-06-30                     # last day it applies (UTC)
#    approved-by: security@example.com       # optional
`;function l(e){return o(e.output)&&!e.force?(process.stderr.write(`trailguard: ${e.output} exists; --force overwrites it
`),t.inputError):(i(e.output,a),process.stdout.write(`wrote ${e.output}
`),t.ok)}r(l,"runInit");export{a as STARTER_CONFIG,l as runInit};
