import type { IncomingMessage, ServerResponse } from 'node:http';

export declare const ADMISSION_DEFAULTS: Readonly<{ concurrency: number; queueLength: number }>;
export declare function createAdmission(limits: {
  concurrency: number;
  queueLength: number;
}): (req: IncomingMessage, res: ServerResponse, run: () => void) => void;
