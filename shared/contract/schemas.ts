import { z } from 'zod';

/** Building blocks every domain file of the contract uses. */
export const none = z.strictObject({});

/** Optimistic concurrency: the caller sends the version it saw (DESIGN §5.2 "base version"). */
export const baseVersion = z.number().int().positive();
