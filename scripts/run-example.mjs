#!/usr/bin/env node
// README command (1): copies the bundled example into a fresh Git repo, runs it with weft twice
// (the second run restores nothing and runs nothing: everything is up to date), evaluates the
// model it registered, makes it production and validates it against the gates of weft.yaml,
// and prints where the model, the metrics and the report are.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const project = resolve(fileURLToPath(import.meta.url), '../..');
const target = resolve(process.argv[2] ?? join(project, 'example-run', 'penguins'));
const weft = join(project, 'dist', 'cli', 'main.js');

const sh = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { cwd: target, stdio: 'inherit', ...options });
const step = (title) => console.log(`\n=== ${title}`);

rmSync(target, { recursive: true, force: true });
cpSync(join(project, 'examples', 'penguins'), target, {
  recursive: true,
  filter: (path) => !/[/\\](node_modules|\.weft)$/.test(path),
});
// What `npm install` would give a user: the example's scripts import onnxruntime-node etc.
symlinkSync(join(project, 'node_modules'), join(target, 'node_modules'), 'dir');
step(`git repository at ${target}`);
sh('git', ['init', '-q', '-b', 'main']);
sh('git', ['-c', 'user.name=weft example', '-c', 'user.email=example@weft.dev', 'add', '-A']);
sh('git', [
  '-c',
  'user.name=weft example',
  '-c',
  'user.email=example@weft.dev',
  'commit',
  '-q',
  '-m',
  'penguins example',
]);

step('weft run (cold: every stage runs)');
sh(process.execPath, [weft, 'run']);
step('weft run again (warm: nothing to do)');
sh(process.execPath, [weft, 'run']);
step('weft status');
sh(process.execPath, [weft, 'status']);
step('weft evaluate (ONNX Runtime on data/eval.csv: metrics, fairness by sex, importance)');
sh(process.execPath, [weft, 'evaluate']);
const actor = { env: { ...process.env, WEFT_ACTOR: 'weft example' } };
step('weft models alias set penguins production 1');
sh(
  process.execPath,
  [weft, 'models', 'alias', 'set', 'penguins', 'production', '1', '-m', 'first model'],
  actor,
);
step('weft validate --report report (the gates of weft.yaml)');
sh(process.execPath, [weft, 'validate', '--report', 'report'], actor);

const model = join(target, 'model', 'model.onnx');
const metrics = join(target, 'metrics.json');
if (!existsSync(model) || !existsSync(metrics))
  throw new Error('the example did not produce its outputs');
step('results');
console.log(`model:   ${model}`);
console.log(`metrics: ${metrics}`);
console.log(readFileSync(metrics, 'utf8').trim());
console.log(`report:  ${join(target, 'report', 'report.md')}`);
console.log(
  `\nTry: cd ${target} && sed -i 's/lr: 0.1 /lr: 0.002 /' params.yaml && ${weft} run && ${weft} validate`,
);
