import { hostname } from "node:os";

/** This process's name in leases: `host:pid`. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Whether the process named in a lease may still be running: a `host:pid` of this host whose
 * pid is gone is not; anything else is given the benefit of the doubt until its lease expires.
 */
export function ownerAlive(owner: string): boolean {
  const match = /^(.*):(\d+)$/.exec(owner);
  if (!match || match[1] !== hostname()) return true;
  try {
    process.kill(Number(match[2]), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
