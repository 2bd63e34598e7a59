// Hardhat tasks, one per actor action. Every task takes --json (one JSON document on stdout) and --from
// (signer index or address). The modules are imported only when one of their tasks runs (tasks/lib/lazy.ts).
import { loadTasks } from "./lib/lazy";

loadTasks(["deploy", "participant", "invoice", "risk", "pool", "regulator", "stablecoin", "report", "governance"]);
