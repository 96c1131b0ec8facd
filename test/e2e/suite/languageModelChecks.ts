import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Check } from './harness';

const TOOL = 'ferret_search_codebase';

/** Invokes the search tool the way another extension, or an agent outside a chat request, would. */
export async function invokeSearchTool(input: object): Promise<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined });
}

function texts(result: vscode.LanguageModelToolResult): string[] {
  return result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, 'every part is text');
    return part.value;
  });
}

/** Checks of the search tool through VS Code's own `lm` API; they need the index to be ready. */
export function languageModelChecks(): Check[] {
  return [
    {
      name: 'the search tool is listed in lm.tools with its schema',
      run: async () => {
        const tool = vscode.lm.tools.find((t) => t.name === TOOL);
        assert.ok(tool, `lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
        assert.match(tool.description, /Searches the user's open workspace for code/);
        const schema = tool.inputSchema as { required: string[]; properties: Record<string, unknown> };
        assert.deepEqual(schema.required, ['query']);
        assert.deepEqual(Object.keys(schema.properties).sort(), ['k', 'language', 'path', 'query']);
      },
    },
    {
      name: 'lm.invokeTool returns the fixture range of verifyPassword with its code',
      run: async () => {
        const parts = texts(await invokeSearchTool({ query: 'verifyPassword', k: 5 }));
        assert.match(parts[0]!, /^Ferret found \d+ ranges? for "verifyPassword"/);
        const part = parts.find((p) => /^\d+\. src\/auth\/passwords\.ts:\d+-\d+ {2}verifyPassword {2}\(function, typescript\)\n/.test(p));
        assert.ok(part, parts.join('\n---\n'));
        const [, start, end] = /:(\d+)-(\d+)/.exec(part)!;
        // The fixture declares verifyPassword on line 13.
        assert.ok(Number(start) <= 13 && Number(end) >= 13, `range ${start}-${end}`);
        assert.match(part, /```typescript\n[\s\S]*export function verifyPassword\(password: string, stored: string\): boolean \{/);
        assert.ok(parts.length <= 6, `at most k=5 hits after the header, got ${parts.length - 1}`);
      },
    },
    {
      name: 'the tool honours path and language filters',
      run: async () => {
        const http = texts(await invokeSearchTool({ query: 'verifyPassword', path: 'src/http/**' })).slice(1);
        assert.ok(http.length > 0 && http.every((p) => /^\d+\. src\/http\//.test(p)), http.join('\n---\n'));
        const python = texts(await invokeSearchTool({ query: 'rate limit', language: 'python' })).slice(1);
        assert.ok(python.length > 0 && python.every((p) => /\(\w+, python\)/.test(p.split('\n')[0]!)), python.join('\n---\n'));
      },
    },
    {
      name: 'ferret_find_symbol and ferret_find_references answer through lm.invokeTool from the symbol graph',
      run: async () => {
        const invoke = async (tool: string, input: object) => texts(await vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined })).join('\n');
        for (const name of ['ferret_find_symbol', 'ferret_find_references']) assert.ok(vscode.lm.tools.some((t) => t.name === name), `${name} is in lm.tools`);
        // The fixture's SessionStore declares evictExpired on line 18 and holds its sessions in a Map of Session.
        const defined = await invoke('ferret_find_symbol', { name: 'SessionStore.evictExpired' });
        assert.match(defined, /^SessionStore\.evictExpired is defined in 1 place, exact name first\./);
        assert.match(defined, /\n- src\/auth\/session\.ts:18-\d+ {2}method SessionStore\.evictExpired$/);
        const users = await invoke('ferret_find_references', { name: 'Session' });
        assert.match(users, /\n- src\/auth\/session\.ts:\d+-\d+ {2}SessionStore/, users);
        await assert.rejects(invoke('ferret_find_symbol', { limit: 3 }), /"name" must be a non-empty string/);
      },
    },
    {
      name: 'bad tool input is rejected with one sentence naming the field',
      run: async () => {
        await assert.rejects(invokeSearchTool({ k: 3 }), /"query" must be a non-empty string: words from the code, a symbol name, or a question about it\./);
        await assert.rejects(invokeSearchTool({ query: 'x', k: 500 }), /"k" must be a whole number from 1 to 30\./);
        await assert.rejects(invokeSearchTool({ query: 'x', path: '../outside/**' }), /Path filter "\.\.\/outside\/\*\*" leaves the workspace; use a glob relative to a workspace folder/);
      },
    },
  ];
}
