import { useEffect, useState } from 'react';

function format(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * How long the run took, or has been going: ticks each second while it runs. An interrupted
 * run is going nowhere, so it shows no time at all.
 */
export function Elapsed(props: { startedAt: string; finishedAt: string | null; running: boolean }) {
  const { startedAt, finishedAt, running } = props;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  if (!finishedAt && !running) return null;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return (
    <span className="faint" data-testid="run-elapsed">
      {format(end - Date.parse(startedAt))}
      {finishedAt ? '' : ' so far'}
    </span>
  );
}
