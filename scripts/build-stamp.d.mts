export declare const BUILD_SOURCES: readonly string[];
export declare function sourceHashes(root: string, sources?: readonly string[]): Record<string, string | null>;
export declare function buildReason(root: string, sources?: readonly string[]): string | null;
export declare function recordBuild(root: string, hashes: Record<string, string | null>): void;
