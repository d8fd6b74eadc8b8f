#!/usr/bin/env node
// README command (1): copies the bundled example into a fresh Git repo, runs it with weft twice
// (the second run restores nothing and runs nothing: everything is up to date), evaluates the
// model it registered, makes it production and validates it against the gates of weft.yaml,
// then plays a pull request with `weft ci` (a worse model deployed by canary: the comment with
// its deployment preview is printed, the gates fail), and prints where everything is.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  copyExample,
  deploymentYaml,
  PROJECT_ROOT,
  WEFT_CLI as weft,
} from './lib/example-repo.mjs';

const target = resolve(process.argv[2] ?? join(PROJECT_ROOT, 'example-run', 'penguins'));

const sh = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { cwd: target, stdio: 'inherit', ...options });
const git = (...args) =>
  sh('git', ['-c', 'user.name=weft example', '-c', 'user.email=example@weft.dev', ...args]);
const step = (title) => console.log(`\n=== ${title}`);

rmSync(target, { recursive: true, force: true });
copyExample(target);
step(`git repository at ${target}`);
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'penguins example');

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

step('weft ci on a pull-request-like branch (a worse model, deployed by canary)');
const deployment = (version, strategy) =>
  `${deploymentYaml('penguins', version)}  strategy: ${strategy}\n`;
mkdirSync(join(target, 'deploy'), { recursive: true });
writeFileSync(join(target, 'deploy', 'penguins.yaml'), deployment(1, '{ type: replace }'));
git('add', 'deploy', 'weft.lock', 'metrics.json');
git('commit', '-q', '-m', 'deploy penguins@1');
git('checkout', '-q', '-b', 'smaller-lr');
const params = join(target, 'params.yaml');
writeFileSync(params, readFileSync(params, 'utf8').replace('lr: 0.1 ', 'lr: 0.002 '));
writeFileSync(
  join(target, 'deploy', 'penguins.yaml'),
  deployment(2, '{ type: canary, canary: { steps: [25, 50, 100], interval: 30s } }'),
);
git('commit', '-q', '-am', 'smaller learning rate; deploy penguins@2 by canary');
// What CI runs on the pull request: exit 1, since the new model is worse than production.
const ci = spawnSync(process.execPath, [weft, 'ci', '--base', 'main', '-q'], {
  cwd: target,
  stdio: 'inherit',
  env: actor.env,
});
if (ci.status !== 1) throw new Error(`weft ci exited with ${ci.status}, expected 1 (a gate fails)`);
git('checkout', '-q', '--', '.');
git('checkout', '-q', 'main');
sh(process.execPath, [weft, 'run', '-q']);

const model = join(target, 'model', 'model.onnx');
const metrics = join(target, 'metrics.json');
if (!existsSync(model) || !existsSync(metrics))
  throw new Error('the example did not produce its outputs');
step('results');
console.log(`model:   ${model}`);
console.log(`metrics: ${metrics}`);
console.log(readFileSync(metrics, 'utf8').trim());
console.log(`report:  ${join(target, 'report', 'report.md')}`);
console.log(`ci:      ${join(target, 'weft-report', 'report.md')} (branch smaller-lr)`);
console.log(
  `\nTry: cd ${target} && sed -i 's/lr: 0.1 /lr: 0.002 /' params.yaml && ${weft} run && ${weft} validate`,
);
