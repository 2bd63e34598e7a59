// Hardhat tasks, one per actor action. Each file registers its tasks on import.
export {};
