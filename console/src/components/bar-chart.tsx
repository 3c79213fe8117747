export interface Bar {
  label: string;
  total: number;
  highlighted: number;
}

/** Hand-written SVG bars: each day's payments, the approved part darker; a table of the same numbers for screen readers. */
export function BarChart({ bars, caption }: { bars: Bar[]; caption: string }) {
  const width = 720;
  const height = 180;
  const top = 10;
  const bottom = 24;
  const max = Math.max(1, ...bars.map((bar) => bar.total));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.max(2, slot * 0.7);
  const scale = (value: number) => ((height - top - bottom) * value) / max;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={caption} preserveAspectRatio="none">
        <line className="chart-axis" x1={0} x2={width} y1={height - bottom} y2={height - bottom} />
        <text className="chart-tick" x={0} y={top + 8}>{max}</text>
        {bars.map((bar, index) => {
          const x = index * slot + (slot - barWidth) / 2;
          const totalHeight = scale(bar.total);
          const approvedHeight = scale(bar.highlighted);
          // The first and last labels lean inwards: centred, they would be cut at the chart's edges.
          const first = index === 0;
          const last = index === bars.length - 1;
          return (
            <g key={bar.label}>
              <title>{`${bar.label}: ${bar.total} payments, ${bar.highlighted} approved`}</title>
              <rect className="chart-bar" x={x} y={height - bottom - totalHeight} width={barWidth} height={totalHeight} rx={2} />
              <rect className="chart-bar-approved" x={x} y={height - bottom - approvedHeight} width={barWidth} height={approvedHeight} rx={2} />
              {(index % 5 === 0 || index === bars.length - 1) && (
                <text className="chart-tick" x={first ? 0 : last ? width : x + barWidth / 2} y={height - 6} textAnchor={first ? 'start' : last ? 'end' : 'middle'}>
                  {bar.label.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="legend legend-total" aria-hidden="true" /> payments <span className="legend legend-approved" aria-hidden="true" /> approved — {caption}
      </figcaption>
    </figure>
  );
}
