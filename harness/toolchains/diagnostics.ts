// Compiler and build-tool messages turned into structured diagnostics:
// MSBuild / dotnet (C# compiler, NuGet, SDK and MSBuild errors), mcs, and clang.
import { stripVTControlCharacters } from 'node:util';
import type { Diagnostic } from './flavor.js';

type Parser = (line: string) => Diagnostic | undefined;

const severityOf = (word: string): Diagnostic['severity'] => (word.toLowerCase() === 'warning' ? 'warning' : 'error');

/** A location "origin" is a file when it looks like a path; otherwise it names a tool (MSBUILD, CSC, EXEC). */
const looksLikeFile = (origin: string): boolean => /[\\/]/.test(origin) || /\.[A-Za-z0-9]+$/.test(origin);

function withOptional(d: Diagnostic): Diagnostic {
  // Drop undefined fields so equal diagnostics compare (and dedupe) equal.
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as unknown as Diagnostic;
}

/**
 * MSBuild canonical format, also used by csc and mcs:
 *   File.cs(12,5): error CS1002: ; expected [/path/proj.csproj]
 *   /sdk/Some.targets(166,5): error NETSDK1045: message [/path/proj.csproj]
 *   /x/WasiApp.Native.targets(116,5): error : Could not find wasi-sdk.
 *   MSBUILD : error MSB1009: Project file does not exist.
 */
const MSBUILD =
  /^(?<origin>.*?)(?:\((?<line>\d+)(?:,(?<column>\d+))?(?:,\d+,\d+)?\))?\s*:\s+(?<severity>error|warning)(?:\s+(?<code>[A-Za-z]+\d+))?\s*:\s*(?<message>.*?)(?:\s+\[(?<project>[^\]]+)\])?$/i;

const msbuild: Parser = (line) => {
  const m = MSBUILD.exec(line);
  if (!m?.groups) return undefined;
  const { origin = '', line: lineNo, column, severity = 'error', code, message = '' } = m.groups;
  const hasPosition = lineNo !== undefined;
  // "warning: x" with no origin is clang's driver, not MSBuild; leave it to the clang parsers.
  if (!origin.trim()) return undefined;
  const file = hasPosition || looksLikeFile(origin.trim()) ? origin.trim() : undefined;
  return withOptional({
    file,
    line: lineNo ? Number(lineNo) : undefined,
    column: column ? Number(column) : undefined,
    severity: severityOf(severity),
    code,
    message: message.trim(),
  });
};

/** clang: file.c:3:10: error: message [-Wflag]   (also "fatal error:", "warning:", "note:" is skipped). */
const CLANG =
  /^(?<file>(?:[A-Za-z]:)?[^:]+):(?<line>\d+):(?:(?<column>\d+):)?\s+(?<severity>fatal error|error|warning):\s+(?<message>.*?)(?:\s+\[(?<flags>-W[^\]]+)\])?$/;

const clang: Parser = (line) => {
  const m = CLANG.exec(line);
  if (!m?.groups) return undefined;
  const { file = '', line: lineNo, column, severity = 'error', message = '', flags } = m.groups;
  // "[-Werror,-Wunused-variable]": the last flag names the warning.
  const code = flags?.split(',').filter((f) => f.startsWith('-W') && f !== '-Werror').at(-1);
  return withOptional({
    file,
    line: Number(lineNo),
    column: column ? Number(column) : undefined,
    severity: severityOf(severity === 'fatal error' ? 'error' : severity),
    code,
    message: message.trim(),
  });
};

/** Driver and linker messages without a location: "clang: error: ...", "wasm-ld: error: undefined symbol: f". */
const TOOL = /^(?<tool>clang(?:-\d+)?|clang\+\+|wasm-ld(?:-\d+)?|ld\.lld|lld):\s+(?<severity>fatal error|error|warning):\s+(?<message>.*)$/;

const tool: Parser = (line) => {
  const m = TOOL.exec(line);
  if (!m?.groups) return undefined;
  const severity = m.groups.severity === 'warning' ? 'warning' : 'error';
  return { severity, message: `${m.groups.tool}: ${m.groups.message?.trim() ?? ''}` };
};

// clang first: its "file:line:col:" shape never matches MSBuild's "(line,col):".
const PARSERS: Parser[] = [clang, tool, msbuild];

/** Every diagnostic in `text`, in order of first appearance, each once (MSBuild repeats them in its summary). */
export function parseDiagnostics(text: string): Diagnostic[] {
  const seen = new Set<string>();
  const found: Diagnostic[] = [];
  for (const raw of stripVTControlCharacters(text).split(/\r?\n/)) {
    // MSBuild indents, and prefixes node numbers ("1>") in parallel builds.
    const line = raw.replace(/^\s*(?:\d+>)?\s*/, '').trimEnd();
    if (!line || !/\b(error|warning)\b/i.test(line)) continue;
    for (const parse of PARSERS) {
      const diagnostic = parse(line);
      if (!diagnostic) continue;
      const key = JSON.stringify([diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.severity, diagnostic.code, diagnostic.message]);
      if (!seen.has(key)) {
        seen.add(key);
        found.push(diagnostic);
      }
      break;
    }
  }
  return found;
}

/** Whether any diagnostic is an error. */
export const hasErrors = (diagnostics: Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');
