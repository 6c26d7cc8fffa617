// Every string harness/toolchains/csharp/README.md cites from the real build
// targets is in what the generators write: a property, item, target, command
// or output path that goes missing fails here, README and code cannot drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../paths.js';
import { OPTIONS_TARGETS, type DotnetPlan } from '../csharp/dotnet-build.js';
import { planMonoBuild } from '../csharp/mono-project.js';
import { planNativeAotBuild } from '../csharp/nativeaot-project.js';
import { ECHO_CASES, options, removeTempDirs, tempDir, writeSuite } from './csharp-fixtures.js';

afterAll(removeTempDirs);

interface Citation {
  flavor: 'mono-interp' | 'nativeaot-llvm' | 'nativeaot-llvm-p2';
  in: 'csproj' | 'targets' | 'command' | 'output';
  text: string;
  source: string;
}

/** The rows of the README's "Cited strings" table. */
function citations(): Citation[] {
  const readme = readFileSync(join(projectRoot, 'harness', 'toolchains', 'csharp', 'README.md'), 'utf8');
  return readme
    .split('\n')
    .filter((line) => /^\| (mono-interp|nativeaot-llvm|nativeaot-llvm-p2) \|/.test(line))
    .map((line) => {
      const [flavor, where, generated, source] = line.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, ''));
      const text = /^`(.*)`$/.exec(generated!.trim())?.[1];
      if (!text) throw new Error(`README row without a backticked string: ${line}`);
      return { flavor: flavor as Citation['flavor'], in: where as Citation['in'], text, source: source! };
    });
}

/** `<X a="b" />` and `<X a="b"/>` are the same XML. */
const squash = (xml: string): string => xml.replace(/\s+\/>/g, '/>');

function generated(flavor: Citation['flavor']): { csproj: string; targets: string; command: string; output: string } {
  const suite = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES });
  const plan = (workDir: string, projectPath?: string): DotnetPlan => {
    const req = { suite, options: options(projectPath ? { projectPath } : {}), workDir };
    if (flavor === 'mono-interp') return planMonoBuild(req, '8.0.122');
    return planNativeAotBuild(req, '10.0.101', 'linux-x64', flavor === 'nativeaot-llvm-p2' ? 'component' : 'core');
  };
  const own = plan(tempDir('cite'));
  // A user-managed project gets what the harness must add through the imported targets file.
  const userDir = tempDir('cite-user');
  const csproj = join(userDir, 'User.csproj');
  writeFileSync(csproj, '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>WasmMatrixGuest</AssemblyName></PropertyGroup></Project>');
  const userWork = tempDir('cite-user-work');
  plan(userWork, csproj);
  const ownXml = squash(readFileSync(own.projectFile, 'utf8'));
  return {
    csproj: ownXml,
    targets: `${ownXml}\n@@user@@\n${squash(readFileSync(join(userWork, OPTIONS_TARGETS), 'utf8'))}`,
    command: `dotnet ${own.args.join(' ').replace(own.projectFile, '<project>')}`,
    output: own.expected,
  };
}

describe('the README cites every string of the generated C# projects', () => {
  const rows = citations();

  it('has citations for every .NET wasm flavor, each with a source', () => {
    expect(rows.filter((r) => r.flavor === 'mono-interp').length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => r.flavor === 'nativeaot-llvm').length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.flavor === 'nativeaot-llvm-p2').length).toBeGreaterThanOrEqual(5);
    // A file line (`XX line N`, keyed in the README's list of files) or an issue/PR thread (`owner/repo#N`).
    for (const r of rows) expect(r.source, r.text).toMatch(/\b(RT8N|RTWA|STP|STT|FW|LW|LN|LC|CD|CDW|CDG|WCL) lines? \d+|[\w.-]+\/[\w.-]+#\d+/);
  });

  for (const flavor of ['mono-interp', 'nativeaot-llvm', 'nativeaot-llvm-p2'] as const) {
    it(`${flavor}: each cited string is in what the harness writes`, () => {
      const out = generated(flavor);
      for (const row of rows.filter((r) => r.flavor === flavor)) {
        if (row.in === 'output') expect(out.output.endsWith(`/${row.text}`), `${row.text} vs ${out.output}`).toBe(true);
        else if (row.in === 'command') expect(out.command).toBe(row.text);
        else if (row.in === 'csproj') expect(out.csproj, row.text).toContain(squash(row.text));
        else {
          // `targets` rows: in the generated project and in a user project's imported file.
          const [ownPart, userPart] = out.targets.split('@@user@@');
          expect(ownPart, row.text).toContain(squash(row.text));
          expect(userPart, `${row.text} (user project)`).toContain(squash(row.text));
        }
      }
    });
  }
});
