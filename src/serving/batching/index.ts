export {
  createBatcher,
  type Batcher,
  type BatcherOptions,
  type BatchClock,
  type BatchInfo,
} from './batcher.js';
export { concatRows, countRows, rowLayoutOf, splitRows } from './rows.js';
