// Hardhat tasks, one per actor action. Each file registers its tasks on import.
// Every task takes --json (one JSON document on stdout) and --from (signer index or address).
import "./deploy";
import "./participant";
import "./invoice";
import "./risk";
import "./pool";
import "./regulator";
import "./stablecoin";
import "./report";
