/** Injection token: whether the on-chain boot checks (pool owner, balance) already passed. */
export const WALLET_VERIFIED = Symbol('WALLET_VERIFIED');
