// Bundles the CLI (dist/cli.js) and the GitHub Action (dist/index.js) with esbuild. Code shared by the two, and
// modules only some commands need (parsers, CEL, ajv, the AWS SDK), go to chunks loaded on demand, so that
// `trailguard --version` starts without them. The policies (packs, frameworks, schemas) are copied beside the
// bundle, so that dist/ is complete on its own, as GitHub runs the action from it.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = resolve(root, process.argv[2] ?? "dist");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const entryPoints = { cli: join(root, "src/cli/bin.ts") };
if (existsSync(join(root, "src/action/index.ts"))) entryPoints.index = join(root, "src/action/index.ts");

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: ["node20"],
  // Prefer packages' ES module builds (the AWS SDK ships both): named exports survive dynamic import() and
  // unused code can be left out.
  mainFields: ["module", "main"],
  chunkNames: "chunks/[name]-[hash]",
  minify: true,
  keepNames: true,
  legalComments: "linked",
  logLevel: "warning",
  define: { __TRAILGUARD_VERSION__: JSON.stringify(pkg.version) },
  plugins: [lazyRequire({ commander: ["node:child_process"] })],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);',
  },
});
cpSync(join(root, "policies"), join(outdir, "policies"), { recursive: true });
await precompilePolicies(join(outdir, "policies"));

// tree-sitter's runtime and the Terraform grammar are WebAssembly files loaded at run time from beside the code
// that needs them (src/sources/terraform/parse.ts), which may land in an entry file or in a chunk.
const require = createRequire(import.meta.url);
for (const wasm of [
  "web-tree-sitter/web-tree-sitter.wasm",
  "@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm",
]) {
  const source = require.resolve(wasm);
  for (const dir of [outdir, join(outdir, "chunks")]) cpSync(source, join(dir, basename(source)));
}

/**
 * CommonJS dependencies that require a Node built-in at load but use it only on a path trailguard never takes get a
 * stand-in that loads the built-in on first use: commander runs executable subcommands with node:child_process,
 * whose load (with node:net and the streams it needs) costs every `trailguard --version` a noticeable part of its
 * start. `lazy` maps a package name to such built-ins. Only `require()` calls are redirected: an ES import of the
 * stand-in would see none of the module's names.
 */
function lazyRequire(lazy) {
  const namespace = "lazy-require";
  return {
    name: "lazy-require",
    setup(build) {
      build.onResolve({ filter: /^node:/ }, (args) => {
        if (args.kind !== "require-call" || args.namespace === namespace) return undefined;
        const owner = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(args.importer)?.[1];
        if (owner === undefined || !lazy[owner.replace("\\", "/")]?.includes(args.path)) return undefined;
        return { path: args.path, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents:
          `let loaded;\n` +
          `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));\n` +
          `module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n`,
        loader: "js",
      }));
    },
  };
}

/**
 * The built-in packs and frameworks are checked here, with every check a user's pack gets, and stored precompiled
 * beside their YAML (src/engine/precompiled.ts), so that the CLI does not parse and check them at every start. A
 * built-in pack with any problem fails the build.
 */
async function precompilePolicies(policiesDir) {
  const scratch = mkdtempSync(join(tmpdir(), "trailguard-build-"));
  try {
    const entry = join(scratch, "precompile.mjs");
    await build({
      entryPoints: [join(root, "src/engine/precompile.ts")],
      outfile: entry,
      bundle: true,
      format: "esm",
      platform: "node",
      target: ["node20"],
      logLevel: "warning",
      banner: {
        js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);',
      },
    });
    const { precompilePolicies: precompile } = await import(pathToFileURL(entry).href);
    precompile(policiesDir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
