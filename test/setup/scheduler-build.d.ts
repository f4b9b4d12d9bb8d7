export function staleReason(root?: string): string | null;
export function ensureSchedulerBuilt(): Promise<void>;
