/** Thin React wrapper around uPlot: time series, resized with its container. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  unit?: string;
}

function clockTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}

export function TimeChart(props: {
  title: string;
  series: Series[];
  data: [number[], ...(number | null)[][]];
  height?: number;
  testId?: string;
  /** Y-axis tick labels (default: uPlot's numbers), e.g. µs shown as '64.6 ms'. */
  yFormat?: (v: number) => string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = props.series.map((s) => s.label).join('|');
  const yFormat = props.yFormat;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 150,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        {
          stroke: '#7d8a9a',
          grid: { stroke: '#232b36' },
          ticks: { stroke: '#2c3542' },
          // One line of clock time: the charts span minutes, and uPlot's second line (the date,
          // centred under the first tick) was cut at the canvas's left edge in narrow cards.
          space: 72,
          values: (_u: uPlot, splits: number[]) => splits.map(clockTime),
        },
        {
          stroke: '#7d8a9a',
          grid: { stroke: '#232b36' },
          ticks: { stroke: '#2c3542' },
          size: 64,
          ...(yFormat ? { values: (_u: uPlot, splits: number[]) => splits.map(yFormat) } : {}),
        },
      ],
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : `${v.toFixed(2)}${s.unit ?? ''}`),
        })),
      ],
    };
    const u = new uPlot(opts, props.data, el);
    plot.current = u;
    const ro = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 150 }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Re-create only when the series set changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, props.height, yFormat]);

  useEffect(() => {
    plot.current?.setData(props.data);
  }, [props.data]);

  return (
    <div className="chart" data-testid={props.testId}>
      <div className="chart-title">{props.title}</div>
      <div ref={host} />
    </div>
  );
}
