/** Small Node-only helpers for the scripts and tests that start their own local node or server. */
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (the OS picks it; the probe server is closed before the port is returned). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
