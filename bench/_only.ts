import { reportsBench } from './reports';
import { supervisionBench } from './supervision';
async function main() {
  const which = process.argv[2];
  const r = which === 'sup' ? await supervisionBench() : await reportsBench();
  for (const x of r) console.log(x.name, x.value, '\n   ', x.note);
}
void main();
