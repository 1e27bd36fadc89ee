/** The server's CPU and GPUs as its metrics report them; says so plainly when there are no GPU metrics. */
import { TimeChart } from '../../components/Chart';
import { Alert } from '../../components/ui';
import { useMetrics } from './metricsStore';
import { fmtGiB, fmtPct, last } from './format';

export function CpuCharts() {
  const cpu = useMetrics((s) => s.history.cpu);
  const scraped = useMetrics((s) => s.lastAt !== null);
  if (!scraped) return null;
  if (!cpu) return <div className="muted small">The server exports no CPU metrics (nv_cpu_*).</div>;
  return (
    <div data-testid="metrics-cpu" data-points={cpu.t.length}>
      <div className="section-title">
        CPU · {fmtPct(last(cpu.utilizationPct))} · {fmtGiB(last(cpu.memoryUsedGiB))} of {fmtGiB(cpu.memoryTotalGiB)}
      </div>
      <TimeChart
        title="CPU utilisation (%)"
        height={100}
        series={[{ label: 'CPU', color: '#4aa3ff', unit: ' %' }]}
        data={[cpu.t, cpu.utilizationPct]}
      />
      <TimeChart
        title="CPU memory used (GiB)"
        height={100}
        series={[{ label: 'used', color: '#f2b84b', unit: ' GiB' }]}
        data={[cpu.t, cpu.memoryUsedGiB]}
      />
    </div>
  );
}

function GpuCharts({ id }: { id: string }) {
  const gpu = useMetrics((s) => s.history.gpus[id]);
  if (!gpu) return null;
  return (
    <div data-testid="metrics-gpu" data-uuid={id}>
      <div className="section-title">
        GPU {id} · {fmtPct(last(gpu.utilizationPct))} · {fmtGiB(last(gpu.memoryUsedGiB))} of{' '}
        {fmtGiB(gpu.memoryTotalGiB)}
      </div>
      <TimeChart
        title="GPU utilisation (%)"
        height={100}
        series={[{ label: 'GPU', color: '#3ecf8e', unit: ' %' }]}
        data={[gpu.t, gpu.utilizationPct]}
      />
      <TimeChart
        title="GPU memory used (GiB) and power (W)"
        height={100}
        series={[
          { label: 'memory', color: '#f2b84b', unit: ' GiB' },
          { label: 'power', color: '#ff6b6b', unit: ' W' },
        ]}
        data={[gpu.t, gpu.memoryUsedGiB, gpu.powerWatts]}
      />
    </div>
  );
}

export function GpuSection() {
  const ids = useMetrics((s) => s.history.gpuIds);
  const scraped = useMetrics((s) => s.lastAt !== null);
  if (!scraped) return null;
  if (ids.length === 0) {
    return (
      <Alert kind="info" title="No GPU metrics" testId="metrics-no-gpu">
        This server exports no GPU metrics (nv_gpu_utilization, nv_gpu_memory_used_bytes, nv_gpu_power_usage). Triton
        collects them through DCGM, which Jetson (Orin) does not have, so a Jetson shows none; nor do CPU-only builds,
        servers started with --allow-gpu-metrics=false, or the embedded server.
      </Alert>
    );
  }
  return (
    <>
      {ids.map((id) => (
        <GpuCharts key={id} id={id} />
      ))}
    </>
  );
}
