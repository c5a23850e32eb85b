import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/\d+/)?.[0] ?? 0) / 1024;
}

/** The inodes of the sockets a process holds open (its socket file descriptors), from /proc; throws when its fd folder cannot be read. */
function socketInodesOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const inode = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/)?.[1];
      return inode === undefined ? [] : [inode];
    } catch {
      return []; // closed between the listing and the read
    }
  });
}

/** Sockets a process holds open (its socket file descriptors), from /proc. */
export function socketsOf(pid: number): number {
  return socketInodesOf(pid).length;
}

/** The inodes of the sockets listening on a loopback or wildcard TCP port, from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> | undefined {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  let readAny = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    readAny = true;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(hexPort) && fields[3] === '0A') inodes.add(fields[9]!);
    }
  }
  return readAny ? inodes : undefined;
}

/**
 * Whether process `pid` is the one listening on TCP `port`: another process can take a port
 * between freePort() handing it out and the process binding it, and would then answer the
 * readiness probe in its place. Where /proc is not there to ask, the answer is yes.
 */
export function holdsListeningPort(pid: number, port: number): boolean {
  const inodes = listeningInodes(port);
  if (inodes === undefined) return true;
  if (inodes.size === 0) return false;
  let held: string[];
  try {
    held = socketInodesOf(pid);
  } catch (error) {
    // Gone, it holds nothing; not ours to read (another user's, or not dumpable), it cannot be told.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  return held.some((inode) => inodes.has(inode));
}
