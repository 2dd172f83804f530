import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { Dashboard } from '../../../shared/api';

ChartJS.register(BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/**
 * Reads the theme's colours, so the chart follows light and dark like the rest of the UI.
 * The variables hold light-dark() pairs: a probe element resolves one to the colour in use.
 */
function cssColor(name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || '#888';
}

const SERIES = [
  { key: 'overdue', label: 'Overdue', color: '--danger' },
  { key: 'due', label: 'Due soon', color: '--warn' },
  { key: 'ok', label: 'On schedule', color: '--ok' },
  { key: 'manual', label: 'Not routine', color: '--text-3' },
  { key: 'noPolicy', label: 'No policy', color: '--border-strong' },
] as const;

/** Per deployment, how its secrets stand against their rotation policies. */
export function RotationChart({
  rows,
  theme,
}: {
  rows: Dashboard['rotationByDeployment'];
  theme: string;
}) {
  const text = cssColor('--text-2');
  const grid = cssColor('--border');
  return (
    <div className="chart-box" data-testid="rotation-chart" data-theme-key={theme}>
      <Bar
        data={{
          labels: rows.map((row) => row.deployment),
          datasets: SERIES.map((series) => ({
            label: series.label,
            data: rows.map((row) => row[series.key]),
            backgroundColor: cssColor(series.color),
            borderRadius: 3,
            maxBarThickness: 22,
          })),
        }}
        options={{
          indexAxis: 'y',
          maintainAspectRatio: false,
          animation: false,
          scales: {
            x: { stacked: true, ticks: { color: text, precision: 0 }, grid: { color: grid } },
            y: { stacked: true, ticks: { color: text }, grid: { display: false } },
          },
          plugins: {
            legend: { position: 'bottom', labels: { color: text, boxWidth: 10, boxHeight: 10 } },
            tooltip: {
              callbacks: {
                footer: (items) => {
                  const row = rows[items[0]?.dataIndex ?? 0];
                  return row?.oldestDays !== null && row?.oldestDays !== undefined
                    ? `Oldest current value: ${row.oldestDays} days`
                    : '';
                },
              },
            },
          },
        }}
      />
    </div>
  );
}
