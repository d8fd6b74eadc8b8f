import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { padSingleX, type ChartColumns } from '../model/chart-data.js';

export interface ChartSeries {
  label: string;
  /** A threshold or reference line: drawn dashed, without points. */
  reference?: boolean;
}

export interface ChartProps {
  /** The figure's caption and the chart's accessible name. */
  title: string;
  /** uPlot's columns: x values, then one column per series (null: no value there). */
  data: ChartColumns;
  series: ChartSeries[];
  /** Time axes read seconds since the epoch. */
  x: 'time' | 'number';
  xLabel?: string;
  yLabel?: string;
  height?: number;
  /** Fixed y range, e.g. [0, 1] for rates. */
  yRange?: [number, number];
  /** Draw points only (no lines): curves with few points, categories. */
  pointsOnly?: boolean;
  /** Bars, one per x value: x values are 0..n-1 and these name them (e.g. runs). */
  bars?: { labels: string[] };
}

// Colours are told apart by dashes and the legend's labels as well, never by hue alone.
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#8250df', '#bc4c00', '#0a7ea4', '#6e7781'];
const DASHES: Array<number[] | undefined> = [undefined, [6, 4], [2, 3], [10, 3, 2, 3]];

const barPaths: uPlot.Series.PathBuilder = (plot, seriesIdx, idx0, idx1) =>
  (uPlot.paths.bars?.({ size: [0.6, 80] }) ?? (() => null))(plot, seriesIdx, idx0, idx1);

function toSeries(props: ChartProps): uPlot.Series[] {
  return [
    {},
    ...props.series.map((s, i): uPlot.Series => {
      const colour = s.reference ? '#57606a' : (COLOURS[i % COLOURS.length] ?? '#1f6feb');
      const dash = s.reference ? [4, 4] : DASHES[Math.floor(i / COLOURS.length) + (i % 2)];
      return {
        label: s.label,
        stroke: colour,
        width: s.reference ? 1 : 2,
        ...(dash ? { dash } : {}),
        spanGaps: true,
        // Points mark sparse series (a poll every few seconds); dense curves (ROC) are lines.
        points: { show: props.data[0].length <= 60, size: s.reference ? 3 : 5 },
        ...(props.pointsOnly && !s.reference ? { paths: () => null } : {}),
        ...(props.bars && !s.reference
          ? { paths: barPaths, fill: `${colour}99`, points: { show: false } }
          : {}),
      };
    }),
  ];
}

/** Ticks at whole x values only, each named by its label. */
function barAxis(labels: readonly string[]): Partial<uPlot.Axis> {
  return {
    splits: () => labels.map((_, i) => i),
    values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
  };
}

/**
 * A uPlot chart sized to its container. The plot is made once per set of series and fed new
 * data in place, so a live page polling every second neither flickers nor leaks plots.
 */
export function Chart(props: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = JSON.stringify([
    props.series,
    props.x,
    props.yRange,
    props.pointsOnly,
    props.bars,
  ]);
  const empty = props.data[0].length === 0;

  useEffect(() => {
    const element = holder.current;
    if (!element || empty) return;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 240),
      height: props.height ?? 220,
      series: toSeries(props),
      scales: {
        x: props.bars
          ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }
          : { time: props.x === 'time' },
        ...(props.yRange
          ? { y: { range: props.yRange } }
          : props.bars
            ? { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] } }
            : {}),
      },
      axes: [
        {
          label: props.xLabel ?? '',
          stroke: '#57606a',
          ...(props.bars ? barAxis(props.bars.labels) : {}),
        },
        { label: props.yLabel ?? '', stroke: '#57606a' },
      ],
      // A single series is named by the caption; a legend would only repeat it.
      legend: { show: props.series.length > 1, live: true },
      cursor: { drag: { x: false, y: false } },
    };
    const created = new uPlot(options, padSingleX(props.data, props.x === 'time'), element);
    plot.current = created;
    const resize = new ResizeObserver(() => {
      created.setSize({ width: Math.max(element.clientWidth, 240), height: props.height ?? 220 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
    // The plot is rebuilt only when its series change; data flows in through setData below.
  }, [seriesKey, empty]);

  useEffect(() => {
    plot.current?.setData(padSingleX(props.data, props.x === 'time'));
  }, [props.data]);

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {empty ? (
        <p class="muted">No data yet.</p>
      ) : (
        <div ref={holder} role="img" aria-label={`${props.title} (chart)`} />
      )}
    </figure>
  );
}
