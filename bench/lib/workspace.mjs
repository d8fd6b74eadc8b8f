// Generates the benchmark's Git repositories: a wide pipeline over many data files, and a
// small one of independent sleeping stages. Data is not committed (1 GiB in Git would make
// setup dominate); weft hashes the workspace and needs Git only for the commit info.
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdtempSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILES_PER_DIR = 100;
const BLOCK_BYTES = 1 << 20;
const HEADER_BYTES = 64;

/**
 * Settings of the machine rather than of weft, left out of every measured command (weft and its
 * baselines alike): NODE_EXTRA_CA_CERTS makes each Node process parse a CA bundle as it starts
 * (~0.08 s on the development VM, which sets it), before any of weft's code runs.
 */
export const MACHINE_SETTINGS_LEFT_OUT = ['NODE_EXTRA_CA_CERTS'];

/**
 * An environment without anything that would point git or weft somewhere else, or slow every
 * Node process down whatever it runs (MACHINE_SETTINGS_LEFT_OUT).
 */
export function cleanEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      /^GIT_/.test(name) ||
      ['WEFT_STORE_DIR', 'WEFT_DATABASE_URL', 'WEFT_JOBS'].includes(name) ||
      MACHINE_SETTINGS_LEFT_OUT.includes(name)
    ) {
      delete env[name];
    }
  }
  return env;
}

const pad = (n, width) => String(n).padStart(width, '0');

/** `data/part-NNN/file-NNNNN.bin` for every file, 100 per directory. */
export function describeDataFiles(fileCount) {
  const files = [];
  for (let i = 0; i < fileCount; i += 1) {
    const part = `data/part-${pad(Math.floor(i / FILES_PER_DIR), 3)}`;
    files.push({ part, rel: `${part}/file-${pad(i, 5)}.bin` });
  }
  return files;
}

/**
 * Writes `totalBytes` spread over the files: each is a slice of one random 1 MiB block at a
 * file-specific offset, behind a header naming the file, so every file (and digest) differs
 * while generation costs little more than the writes.
 */
export function writeDataFiles(root, files, totalBytes) {
  const block = randomBytes(BLOCK_BYTES);
  const base = Math.floor(totalBytes / files.length);
  const extra = totalBytes % files.length;
  let current = '';
  files.forEach((file, index) => {
    if (file.part !== current) mkdirSync(join(root, file.part), { recursive: true });
    current = file.part;
    const size = base + (index < extra ? 1 : 0);
    writeFileSync(join(root, file.rel), fillFile(block, index, size));
  });
}

function fillFile(block, index, size) {
  const buffer = Buffer.allocUnsafe(size);
  let offset = (index * 4099) % BLOCK_BYTES;
  for (let at = 0; at < size;) {
    const copied = block.copy(buffer, at, offset, Math.min(BLOCK_BYTES, offset + size - at));
    at += copied;
    offset = 0;
  }
  buffer.write(
    `weft bench file ${index}\n`.padEnd(HEADER_BYTES).slice(0, Math.min(HEADER_BYTES, size)),
  );
  return buffer;
}

/**
 * Writes weft.yaml for `stages` ({ name, cmd, deps, outs }); `specLines` (already indented
 * YAML, e.g. `  model: {...}`) follow the stages inside `spec`.
 */
export function writePipeline(root, name, stages, specLines = []) {
  const lines = [
    'apiVersion: weft.dev/v1',
    'kind: Pipeline',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  stages:',
  ];
  for (const stage of stages) {
    lines.push(
      `    ${stage.name}:`,
      `      cmd: ${JSON.stringify(stage.cmd)}`,
      `      deps: [${stage.deps.join(', ')}]`,
      `      outs: [${stage.outs.join(', ')}]`,
    );
  }
  lines.push(...specLines);
  writeFileSync(join(root, 'weft.yaml'), `${lines.join('\n')}\n`);
}

/** git init + user config + one commit of weft.yaml and .gitignore (and any `extra` files). */
export function commitRepo(root, ignored, extra = []) {
  writeFileSync(join(root, '.gitignore'), `${ignored.join('\n')}\n`);
  const git = (...args) => execFileSync('git', args, { cwd: root, env: cleanEnv(), stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'weft bench');
  git('config', 'user.email', 'bench@weft.dev');
  git('config', 'commit.gpgsign', 'false');
  git('add', 'weft.yaml', '.gitignore', ...extra);
  git('commit', '-q', '-m', 'benchmark pipeline');
}

/**
 * Puts the data files under `root` as hard links to a copy kept in `cacheDir` between benchmark
 * runs, generated there the first time (returns whether it was). Generating and then deleting
 * 10,000 files per run would slow the next run's own file creation: ext4 without a journal scans
 * past recently freed inodes (see measureFileCreation). Unlinking a hard link frees no inode.
 */
export function linkDataFiles(root, files, totalBytes, cacheDir) {
  const cached = join(cacheDir, `${files.length}-files-${totalBytes}-bytes`);
  const generated = !existsSync(cached);
  if (generated) {
    // Renamed into place once complete: an interrupted generation leaves no half cache.
    const partial = `${cached}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    writeDataFiles(partial, files, totalBytes);
    renameSync(partial, cached);
  }
  let current = '';
  for (const file of files) {
    if (file.part !== current) mkdirSync(join(root, file.part), { recursive: true });
    current = file.part;
    try {
      linkSync(join(cached, file.rel), join(root, file.rel));
    } catch (error) {
      if (error.code !== 'EXDEV') throw error;
      copyFileSync(join(cached, file.rel), join(root, file.rel)); // cache on another filesystem
    }
  }
  return generated;
}

/**
 * The wide pipeline: stage i depends on the directory data/part-i and writes out/stage-i.txt.
 * The data files come from `dataCacheDir` (see linkDataFiles).
 */
export function createDataRepo(root, { bytes, fileCount, stageCount }, dataCacheDir) {
  mkdirSync(root, { recursive: true });
  const files = describeDataFiles(fileCount);
  const generated = linkDataFiles(root, files, bytes, dataCacheDir);
  const parts = [...new Set(files.map((file) => file.part))];
  const stages = Array.from({ length: stageCount }, (_, i) => {
    const name = `stage-${pad(i, 3)}`;
    return {
      name,
      cmd: `mkdir -p out && echo ${i} > out/${name}.txt`,
      deps: assignParts(parts, i, stageCount),
      outs: [`out/${name}.txt`],
    };
  });
  writePipeline(root, 'bench', stages);
  commitRepo(root, ['.weft/', 'out/', 'data/']);
  return { files, parts, stages, generated };
}

/** Every part is some stage's dep (so every byte is hashed), and every stage has one. */
function assignParts(parts, stage, stageCount) {
  const own = parts.filter((_, p) => p % stageCount === stage);
  return own.length > 0 ? own : [parts[stage % parts.length]];
}

/** `count` independent stages that each sleep `seconds`, with a tiny dep and an out each. */
export function createSleepRepo(root, { count, seconds }) {
  mkdirSync(join(root, 'inputs'), { recursive: true });
  const stages = Array.from({ length: count }, (_, i) => {
    const name = `sleep-${i}`;
    writeFileSync(join(root, 'inputs', `${name}.txt`), `${name}\n`);
    return {
      name,
      cmd: `sleep ${seconds} && mkdir -p out && echo ${i} > out/${name}.txt`,
      deps: [`inputs/${name}.txt`],
      outs: [`out/${name}.txt`],
    };
  });
  writePipeline(root, 'sleepers', stages);
  commitRepo(root, ['.weft/', 'out/'], ['inputs']);
  return { stages };
}

/**
 * Back to a never-run state: no store, database, stat cache, lock or outputs. They are moved
 * into `graveyard` (inside the scratch directory, removed with it) rather than deleted:
 * deleting ~500 files seconds before a cold run can slow the run's own file creation on some
 * filesystems (on this project's journal-less ext4 VM, creating a file scans past inodes freed
 * in the last minutes), a cost of the benchmark, not of a user's first run.
 */
export function resetWeftState(root, graveyard) {
  const grave = join(graveyard, `${Date.now()}-${randomBytes(4).toString('hex')}`);
  mkdirSync(grave, { recursive: true });
  for (const path of ['.weft', 'out', 'weft.lock']) {
    if (existsSync(join(root, path))) renameSync(join(root, path), join(grave, path));
  }
}

/** Reads every byte once so the baseline and weft both see a warm page cache. */
export function warmPageCache(root, files) {
  const buffer = Buffer.allocUnsafe(BLOCK_BYTES);
  for (const file of files) {
    const handle = openSync(join(root, file.rel), 'r');
    try {
      while (readSync(handle, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(handle);
    }
  }
}

/**
 * A private copy of the built CLI, so a rebuild of dist/ while the bench runs (someone else's
 * `npm run build`) neither breaks nor changes what is measured. node_modules is linked.
 */
export function snapshotCli(project, scratch) {
  if (!existsSync(join(project, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  }
  const home = join(scratch, 'weft');
  for (const path of ['dist', 'schema', 'package.json'])
    cpSync(join(project, path), join(home, path), { recursive: true });
  symlinkSync(join(project, 'node_modules'), join(home, 'node_modules'), 'dir');
  return { home, cli: join(home, 'dist', 'cli', 'main.js') };
}

/**
 * Runs a benchmark in a fresh scratch directory with its own snapshot of the CLI: `run(scratch,
 * weft)`. The scratch goes afterwards, also on Ctrl-C, unless `keep`; a failure is one line on
 * stderr and exit code 1.
 */
export function runInScratch({ project, prefix, keep }, run) {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const cleanUp = () => {
    if (keep) console.log(`kept ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  };
  const interrupt = (signal) => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  const running = (async () => {
    try {
      await run(scratch, snapshotCli(project, scratch));
    } finally {
      cleanUp();
    }
  })();
  running.catch((error) => {
    console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
