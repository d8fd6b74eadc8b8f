/**
 * `weft ci`: the pipeline, the gates and a preview of what merging does to each ModelDeployment,
 * as one Markdown comment plus report.json, junit.xml and ci.json. This index is the light part:
 * the post contract, the CI environment and the pure preview. `./run-ci.js` (runCi, CiResult,
 * summarizeCi) is imported on demand, as the CLI does, because validation loads ONNX Runtime.
 */
export { readCiEnvironment, type CiEnvironment } from './ci-environment.js';
export { describeCiError, type CiPost, type CiPoster, type CiStatusState } from './ci-post.js';
export { judgeCi, type CiFacts, type CiJudgement, type CiVerdict } from './ci-verdict.js';
export {
  formatTarget,
  previewDeployments,
  type BuiltModel,
  type DeploymentPreview,
  type DeploymentPreviewEntry,
  type PreviewChange,
  type PreviewInput,
  type PreviewTarget,
  type TargetLookup,
} from './deployment-preview.js';
export { renderPreviewSection, type PreviewSection } from './preview-markdown.js';
