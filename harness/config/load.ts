// Reading a file against its zod schema, with errors that name the file and the field.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UsageError } from '../errors.js';

/** zod issues as `field.path: message; ...` for error messages. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      // A record key that breaks its schema: say why, not just "Invalid key".
      const inner = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join(', ') : undefined;
      const message = inner ? `key ${JSON.stringify(issue.path[issue.path.length - 1])} is not ${inner}` : issue.message;
      return `${issue.path.length ? issue.path.join('.') : '(root)'}: ${message}`;
    })
    .join('; ');
}

/** Parses JSON text against a schema; errors name the source and the field (exit 2). */
export function parseJsonText<T extends z.ZodType>(text: string, schema: T, source: string): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new UsageError(`${source}: ${formatZodIssues(result.error)}`);
  return result.data;
}

/** Reads and parses a JSON file against a schema; errors name the file and the field. */
export function parseJsonFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read: ${(e as Error).message}`);
  }
  return parseJsonText(text, schema, path);
}
