/**
 * Reads the optional remote network from environment variables (normally a
 * `.env` file loaded by dotenv). The network exists only when RPC_URL is set;
 * a set but malformed variable stops Hardhat with a one-line message naming it.
 */
import * as dotenv from "dotenv";
import type { HttpNetworkUserConfig } from "hardhat/types";
import { TradeFinError } from "../pure/tradeFinError";

dotenv.config({ quiet: true });

export class EnvError extends TradeFinError {
  override name = "EnvError";
}

export function loadRemoteNetwork(env: NodeJS.ProcessEnv): HttpNetworkUserConfig | undefined {
  const url = env.RPC_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\/\S+$/i.test(url)) {
    throw new EnvError(`RPC_URL must be an http(s) URL, got "${url}"`);
  }
  const key = env.DEPLOYER_PRIVATE_KEY?.trim();
  if (!key) throw new EnvError("DEPLOYER_PRIVATE_KEY is required when RPC_URL is set");
  const normalisedKey = key.startsWith("0x") ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(normalisedKey)) {
    throw new EnvError("DEPLOYER_PRIVATE_KEY must be 32 bytes of hex (64 hex digits, optional 0x)");
  }
  const network: HttpNetworkUserConfig = { url, accounts: [normalisedKey] };
  const chainId = env.CHAIN_ID?.trim();
  if (chainId) {
    if (!/^[1-9][0-9]*$/.test(chainId)) throw new EnvError(`CHAIN_ID must be a positive integer, got "${chainId}"`);
    network.chainId = Number(chainId);
  }
  return network;
}
