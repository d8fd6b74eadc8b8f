// Files for the serving benchmark: the models as ONNX files, and a Git repository whose one-stage
// pipeline registers each small model as the next version of model `small`, so `weft serve`
// and the repository extension have registry versions to load.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMlpModel, encodeSmallModel } from './serve-models.mjs';
import { commitRepo, writePipeline } from './workspace.mjs';

export const REGISTERED_MODEL = 'small';

/** models/small-K.onnx for K = 1..smallCount (each with other weights) and models/mlp.onnx. */
export function writeModels(scratch, smallCount) {
  const dir = join(scratch, 'models');
  mkdirSync(dir, { recursive: true });
  const small = Array.from({ length: smallCount }, (_, k) => {
    const path = join(dir, `small-${k + 1}.onnx`);
    writeFileSync(path, encodeSmallModel(k + 1));
    return path;
  });
  const mlp = join(dir, 'mlp.onnx');
  writeFileSync(mlp, encodeMlpModel());
  return { small, mlp };
}

/**
 * The registry repository: `weft run` once per model file, each run copying the next file into
 * model/model.onnx, so version K of `small` is modelPaths[K-1]. Checks each registration.
 */
export function createRegistryRepo(root, weft, modelPaths) {
  mkdirSync(join(root, 'bench-input'), { recursive: true });
  const stage = {
    name: 'train',
    cmd: 'mkdir -p model && cp bench-input/model.onnx model/model.onnx',
    deps: ['bench-input/model.onnx'],
    outs: ['model/model.onnx'],
  };
  const spec = [`  model: { name: ${REGISTERED_MODEL}, artifact: model/model.onnx }`];
  writePipeline(root, 'bench-serve', [stage], spec);
  commitRepo(root, ['.weft/', 'model/', 'bench-input/']);
  modelPaths.forEach((path, index) => {
    copyFileSync(path, join(root, 'bench-input', 'model.onnx'));
    const { stdout } = weft(root, 'run');
    const expected = `model ${REGISTERED_MODEL}: registered version ${index + 1} `;
    if (!stdout.includes(expected)) {
      throw new Error(`weft run did not register version ${index + 1}:\n${stdout}`);
    }
  });
}
