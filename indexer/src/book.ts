/** The Hardhat project's address book, for names (entity labels, bank names of pools). Read on each call. */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const projectRoot = resolve(process.env.TRADEFIN_ROOT ?? join(process.cwd(), ".."));

export interface BookNames {
  chainId: number;
  deployBlock: number;
  entities: Record<string, { ref: string; name?: string }>;
  pools: Record<string, { address: string; asset: string }>;
  stablecoins: Record<string, { address: string; decimals: number }>;
}

export function readBook(): BookNames {
  const network = process.env.TRADEFIN_NETWORK ?? "localhost";
  const dir = resolve(process.env.TRADEFIN_DEPLOYMENTS_DIR ?? join(projectRoot, "deployments"));
  const path = join(dir, `${network}.json`);
  if (!existsSync(path)) return { chainId: 0, deployBlock: 0, entities: {}, pools: {}, stablecoins: {} };
  const b = JSON.parse(readFileSync(path, "utf8"));
  return {
    chainId: b.chainId,
    deployBlock: b.deployBlock ?? 0,
    entities: b.entities ?? {},
    pools: b.pools ?? {},
    stablecoins: b.stablecoins ?? {},
  };
}

/** A file of an installed package (hoisted to the root's node_modules by npm workspaces, or local). */
export function packageFile(pkg: string, file: string): string {
  for (const base of [join(process.cwd(), "node_modules"), join(projectRoot, "node_modules")]) {
    const p = join(base, pkg, file);
    if (existsSync(p)) return p;
  }
  throw new Error(`${pkg}/${file} not found: run npm install at the project root`);
}
