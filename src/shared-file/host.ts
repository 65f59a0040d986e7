/**
 * Who is running, for the lock and the ledger: this host as the files next to the config file
 * see it, when a process started, and the clock that waits are measured with.
 */
import fs from 'node:fs'
import os from 'node:os'

/**
 * This host's identity: the host name, and on Linux the boot (`/proc/sys/kernel/random/boot_id`,
 * new at every boot and different on every machine) with the PID and mount namespaces. Two
 * processes with the same identity see the same processes and the same files, so one can ask
 * whether the other is alive and whether the other's restore record still exists. Every Linux
 * host's first namespaces have the same ids, and host names repeat (cloned VMs, containers with
 * `--network host`); the boot id tells them apart. macOS and Windows give no boot id without
 * starting a program: there the host name alone is the identity (docs/self-hosted.md).
 */
export function hostId(): string {
  return (self ??= readHostId())
}

let self: string | undefined

function readHostId(): string {
  const parts = [os.hostname()]
  if (process.platform === 'linux') {
    parts.push(readText('/proc/sys/kernel/random/boot_id') ?? 'boot:?', readLink('/proc/self/ns/pid'), readLink('/proc/self/ns/mnt'))
  }
  return parts.join('/')
}

/**
 * When a process of this host started, as an opaque text that differs for a later process
 * given the same pid (Linux: the start time in clock ticks since boot, field 22 of
 * `/proc/<pid>/stat`); undefined where that cannot be read cheaply (macOS, Windows) or the
 * process is gone.
 */
export function processStart(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined
  const stat = readText(`/proc/${pid}/stat`)
  // The command name, in parentheses, may hold spaces and parentheses: fields are counted after the last one.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields?.[19]
}

/**
 * Milliseconds on a clock that never steps (unlike Date.now), for deadlines and ages this process
 * sees. process.hrtime, not performance.now: the first use of `performance` loads perf_hooks and
 * ten internal modules of Node's, on every run (BENCHMARKS.md).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return undefined
  }
}

function readLink(link: string): string {
  try {
    return fs.readlinkSync(link)
  } catch {
    return '?'
  }
}
