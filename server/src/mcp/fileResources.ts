import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { FileAccessError, type WorkspaceFiles } from './workspaceFiles';

/** MCP's code for a resource that does not exist (the spec's -32002). */
const RESOURCE_NOT_FOUND = -32002;
const MIME_TYPE = 'text/plain';

/**
 * Workspace files as MCP resources: any file the index would read can be read by its `file://`
 * URI; the list holds the files that search results and answers have cited in this session.
 */
export class FileResources {
  private readonly cited = new Set<string>();

  constructor(
    private readonly mcp: McpServer,
    private readonly files: WorkspaceFiles,
  ) {
    const template = new ResourceTemplate('file://{+path}', {
      list: () => ({ resources: [...this.cited].sort().map((relPath) => ({ ...this.describe(relPath), description: 'Cited by a search result or answer in this session.' })) }),
    });
    mcp.registerResource(
      'workspace-file',
      template,
      {
        title: 'Workspace file',
        description: `A text file of the workspace ${files.root}, by its file:// URI. Files outside the workspace, secrets such as .env and files the index leaves out are refused. Listed: files cited by search results and answers so far.`,
        mimeType: MIME_TYPE,
      },
      async (uri) => {
        try {
          const { text } = await files.read(uri.href);
          return { contents: [{ uri: uri.href, mimeType: MIME_TYPE, text }] };
        } catch (error) {
          if (error instanceof FileAccessError) throw new McpError(error.reason === 'missing' ? RESOURCE_NOT_FOUND : ErrorCode.InvalidParams, error.message);
          throw error;
        }
      },
    );
  }

  uriOf(relPath: string): string {
    return this.files.uriOf(relPath);
  }

  /** A `resource_link` content item for a cited file. */
  link(relPath: string): { type: 'resource_link'; uri: string; name: string; mimeType: string } {
    return { type: 'resource_link', ...this.describe(relPath) };
  }

  /** Remembers files a result cited; tells the client when the list grew. */
  remember(relPaths: readonly string[]): void {
    const before = this.cited.size;
    for (const relPath of relPaths) this.cited.add(relPath);
    if (this.cited.size > before && this.mcp.isConnected()) this.mcp.sendResourceListChanged();
  }

  private describe(relPath: string): { uri: string; name: string; mimeType: string } {
    return { uri: this.uriOf(relPath), name: relPath, mimeType: MIME_TYPE };
  }
}
