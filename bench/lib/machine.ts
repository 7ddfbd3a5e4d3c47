import { cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  /** One-minute load average when the run started and ended: a busy machine explains slow figures. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverageAtStart: Number(loadavg()[0]!.toFixed(2)),
  };
}

export function machineLine(machine: Machine): string {
  return (
    `${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}, ` +
    `load average ${machine.loadAverageAtStart}` +
    (machine.loadAverageAtEnd === undefined ? '' : ` → ${machine.loadAverageAtEnd}`)
  );
}
