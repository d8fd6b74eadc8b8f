/** uPlot's columns: x values, then one column per series (null: no value at that x). */
export type ChartColumns = [number[], ...Array<Array<number | null>>];

/**
 * All points at one x (a first poll) make uPlot span 1,000 days of a time axis (it pads a lone
 * x by 86,400 of its milliseconds): empty points a minute (or one unit) either side keep the
 * axis to a readable range.
 */
export function padSingleX(data: ChartColumns, time: boolean): ChartColumns {
  const [xs, ...columns] = data;
  const first = xs[0];
  if (first === undefined || xs[xs.length - 1] !== first) return data;
  const pad = time ? 30 : 0.5;
  return [[first - pad, ...xs, first + pad], ...columns.map((column) => [null, ...column, null])];
}
