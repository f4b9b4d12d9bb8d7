// Starts serve.ts (same arguments) faster than `node --import tsx`: tsx's loader hooks cost
// about 1 ms per imported module, and viem alone is ~1500 modules (~1.3 s of CPU). Load the
// heavy packages natively first, then register tsx for our own TypeScript files only.
await Promise.all([import('viem'), import('viem/accounts'), import('hardhat/hre')]);
await import('tsx/esm');
await import('./serve.ts');
