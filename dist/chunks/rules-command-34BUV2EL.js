import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{c}from"./chunk-XS6MBWYD.js";import"./chunk-4RVNYHT7.js";import{a as n}from"./chunk-PDJHKEEC.js";import{a as i}from"./chunk-7WL2V7ZY.js";import{a as s}from"./chunk-BQBWHMYX.js";function p(t){return["| Rule | Scope | Severity | Checks |","|---|---|---|---|",...t.map(e=>`| [\`${e.id}\`](docs/rules.md#${e.id}) | ${e.scope} | ${e.severity} | ${d(e.title)} |`),""].join(`
`)}s(p,"rulesTable");function a(t){return t.map(r=>{let e=r.controls.map(o=>`\`${o.ref}\`${o.title?` ${o.title}`:""}`);return[`<a id="${r.id}"></a>`,`### ${r.id}`,"",`**${r.title}** \u2014 ${r.severity}, scope \`${r.scope}\`, pack \`${r.pack}\``,"",r.description,"",...r.when?["Applies when:","","```cel",r.when.trim(),"```",""]:[],"Passes when:","","```cel",r.assert.trim(),"```","",`Remediation: ${r.remediation}`,"",...e.length>0?[`Controls: ${e.join("; ")}`,""]:[]].join(`
`)}).join(`
`)}s(a,"rulesReference");function d(t){return t.replace(/\|/g,"\\|").replace(/\n/g," ")}s(d,"cell");async function k(t){let r=c(i(),t.pack);for(let e of r.errors)process.stderr.write(`${e.severity}: ${e.file??""}${e.line?`:${e.line}`:""}: ${e.message}
`);if(t.format==="json"){let e=r.rules.map(({whenExpr:o,assertExpr:m,declaredAt:$,...l})=>l);process.stdout.write(`${JSON.stringify(e,null,2)}
`)}else if(t.format==="markdown")process.stdout.write(`${p(r.rules)}
${a(r.rules)}`);else for(let e of r.rules)process.stdout.write(`${e.id.padEnd(32)} ${e.severity.padEnd(9)} ${e.scope.padEnd(17)} ${e.title}
`);return r.errors.some(e=>e.severity==="error")?n.inputError:n.ok}s(k,"runRules");export{k as runRules};
