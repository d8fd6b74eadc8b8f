// Minimal typings for the ml.js packages that ship none. Only the tests import them: the
// exporters read the models' JSON and never load ml.js.

declare module 'ml-cart' {
  import type { Matrix } from 'ml-matrix';

  interface TreeOptions {
    gainFunction?: string;
    splitFunction?: string;
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }

  export class DecisionTreeClassifier {
    constructor(options?: TreeOptions);
    train(trainingSet: number[][] | Matrix, labels: number[]): void;
    predict(toPredict: number[][] | Matrix): number[];
    toJSON(): object;
    static load(model: object): DecisionTreeClassifier;
  }

  export class DecisionTreeRegression {
    constructor(options?: TreeOptions);
    train(trainingSet: number[][] | number[] | Matrix, values: number[]): void;
    predict(toPredict: number[][] | number[] | Matrix): number[];
    toJSON(): object;
    static load(model: object): DecisionTreeRegression;
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(features: Matrix, labels: Matrix): void;
    predict(features: Matrix): number[];
    toJSON(): object;
    static load(model: object): LogisticRegression;
  }
}
