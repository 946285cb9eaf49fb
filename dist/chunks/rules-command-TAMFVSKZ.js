import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{b as c}from"./chunk-MIDGDZ2P.js";import"./chunk-AJ7R5TFX.js";import{a as n}from"./chunk-HXN5TCCQ.js";import"./chunk-FUCIQISM.js";import"./chunk-RLWIBWP5.js";import{a as i}from"./chunk-3K2HU6WA.js";import{a as t}from"./chunk-BQBWHMYX.js";function p(s){return["| Rule | Scope | Severity | Checks |","|---|---|---|---|",...s.map(e=>`| [\`${e.id}\`](docs/rules.md#${e.id}) | ${e.scope} | ${e.severity} | ${m(e.title)} |`),""].join(`
`)}t(p,"rulesTable");function a(s){return s.map(r=>{let e=r.controls.map(o=>`\`${o.ref}\`${o.title?` ${o.title}`:""}`);return[`<a id="${r.id}"></a>`,`### ${r.id}`,"",`**${r.title}** \u2014 ${r.severity}, scope \`${r.scope}\`, pack \`${r.pack}\``,"",r.description,"",...r.when?["Applies when:","","```cel",r.when.trim(),"```",""]:[],"Passes when:","","```cel",r.assert.trim(),"```","",`Remediation: ${r.remediation}`,"",...e.length>0?[`Controls: ${e.join("; ")}`,""]:[]].join(`
`)}).join(`
`)}t(a,"rulesReference");function m(s){return s.replace(/\|/g,"\\|").replace(/\n/g," ")}t(m,"cell");async function E(s){let r=c(i(),s.pack);for(let e of r.errors)process.stderr.write(`${e.severity}: ${e.file??""}${e.line?`:${e.line}`:""}: ${e.message}
`);if(s.format==="json"){let e=r.rules.map(({whenExpr:o,assertExpr:d,messageExprs:$,examples:f,declaredAt:u,...l})=>l);process.stdout.write(`${JSON.stringify(e,null,2)}
`)}else if(s.format==="markdown")process.stdout.write(`${p(r.rules)}
${a(r.rules)}`);else for(let e of r.rules)process.stdout.write(`${e.id.padEnd(32)} ${e.severity.padEnd(9)} ${e.scope.padEnd(17)} ${e.title}
`);return r.errors.some(e=>e.severity==="error")?n.inputError:n.ok}t(E,"runRules");export{E as runRules};
