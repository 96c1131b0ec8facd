/**
 * Every Ferret setting, defined once. The daemon's defaults, validation and restart-only keys,
 * the extension's translation of `ferret.*` and its restart prompt, the `FerretSettings` type and
 * package.json's `contributes.configuration` (`npm run settings`) are all derived from this table.
 * Plain data, so every side (and the manifest generator) can import it.
 */

/** The categories of the Settings editor, in the order it shows them. */
export const SETTINGS_GROUPS = ['Indexing', 'Models: Ollama', 'Models: OpenAI-compatible', 'Models: MLX', 'Chat', 'Advanced'] as const;
export type SettingsGroup = (typeof SETTINGS_GROUPS)[number];

/**
 * What a running daemon does when the value changes:
 * `restart` it keeps its start-up value (the extension offers a restart); `live` it reads the value
 * where it is used; `providers` it rebuilds the chat providers; `fileRules` it reloads the ignore
 * rules and syncs the folders.
 */
export type TakesEffect = 'restart' | 'live' | 'providers' | 'fileRules';

interface SettingBase {
  /** Markdown, shown in the Settings editor. */
  readonly description: string;
  readonly takesEffect: TakesEffect;
  /** VS Code's scope; `window` when absent. */
  readonly scope?: 'machine' | 'machine-overridable';
}

/** Where the Settings editor shows it; absent for values a client sets itself (not user settings). */
type Placement = { readonly group: SettingsGroup; readonly order: number } | { readonly group?: never; readonly order?: never };

type StringSetting = { readonly type: 'string'; readonly default: string; readonly enum?: readonly string[]; readonly enumDescriptions?: readonly string[]; readonly minLength?: number };
type BooleanSetting = { readonly type: 'boolean'; readonly default: boolean };
type NumberSetting = { readonly type: 'number' | 'integer'; readonly default: number; readonly minimum?: number; readonly maximum?: number };
/** `uniqueItems` guides the Settings editor only: the daemon counts a repeated entry once. */
type StringListSetting = {
  readonly type: 'array';
  readonly items: { readonly type: 'string'; readonly enum?: readonly string[] };
  readonly default: readonly string[];
  readonly uniqueItems?: boolean;
};

export type SettingSpec = SettingBase & Placement & (StringSetting | BooleanSetting | NumberSetting | StringListSetting);

export const SETTINGS = {
  indexDir: {
    type: 'string',
    default: '',
    description: 'Root folder for index data; each workspace folder gets a subfolder. Empty: the user cache folder. Set by the client (the extension uses its storage folder).',
    takesEffect: 'restart',
  },
  embedder: {
    type: 'string',
    enum: ['auto', 'local', 'ollama', 'openai'],
    enumDescriptions: [
      'Ollama when it answers, else the built-in local embedder.',
      'The built-in lexical embedder: no model, works offline.',
      'Ollama (`#ferret.ollamaEmbedModel#`).',
      'An OpenAI-compatible server (`#ferret.openaiBaseUrl#`).',
    ],
    default: 'auto',
    description: 'Which embedder turns code into vectors. Changing it re-embeds the index in the background.',
    takesEffect: 'restart',
    group: 'Indexing',
    order: 4,
  },
  embedConcurrency: {
    type: 'integer',
    minimum: 1,
    maximum: 64,
    default: 2,
    description:
      'Embedding requests in flight at once while indexing. 2 suits a local Ollama, which works through one request at a time anyway; a GPU server (vLLM, TEI, several Ollama instances) takes more, e.g. 8.',
    takesEffect: 'restart',
    group: 'Indexing',
    order: 5,
  },
  embedEndpoints: {
    type: 'array',
    items: { type: 'string' },
    default: [],
    uniqueItems: true,
    description:
      'Several servers with the same embedding model, used in turn: Ollama addresses (like `#ferret.ollamaHost#`) for the `ollama` and `auto` embedders, base URLs (like `#ferret.openaiBaseUrl#`) for `openai`. A batch a server fails is sent to the next. Empty: the one configured server. Changing it does not re-embed the index.',
    takesEffect: 'restart',
    group: 'Indexing',
    order: 6,
  },
  ollamaHost: {
    type: 'string',
    default: '',
    description: 'Ollama base URL, e.g. `http://127.0.0.1:11434`. Empty: `OLLAMA_HOST`, then `http://127.0.0.1:11434`.',
    takesEffect: 'providers',
    group: 'Models: Ollama',
    order: 1,
  },
  ollamaEmbedModel: {
    type: 'string',
    minLength: 1,
    default: 'nomic-embed-text',
    description: 'Ollama model used for embeddings.',
    takesEffect: 'restart',
    group: 'Models: Ollama',
    order: 2,
  },
  openaiBaseUrl: {
    type: 'string',
    default: '',
    description: 'Base URL of an OpenAI-compatible server (vLLM, llama.cpp, LM Studio…), e.g. `http://127.0.0.1:8000/v1`. Empty: not used.',
    takesEffect: 'providers',
    group: 'Models: OpenAI-compatible',
    order: 1,
  },
  openaiEmbedModel: {
    type: 'string',
    minLength: 1,
    default: 'text-embedding-3-small',
    description: 'Embedding model on the OpenAI-compatible server.',
    takesEffect: 'restart',
    group: 'Models: OpenAI-compatible',
    order: 2,
  },
  openaiApiKey: {
    type: 'string',
    default: '',
    scope: 'machine',
    description:
      'API key for the OpenAI-compatible server. Stored in plain text in your user settings; leave empty to use the `OPENAI_API_KEY` environment variable instead. Never logged.',
    takesEffect: 'providers',
    group: 'Models: OpenAI-compatible',
    order: 4,
  },
  exclude: {
    type: 'array',
    items: { type: 'string' },
    default: [],
    description: 'Extra globs to leave out of the index, relative to each workspace folder (gitignore syntax). `.gitignore` and `.ferretignore` are always honoured.',
    takesEffect: 'fileRules',
    group: 'Indexing',
    order: 2,
  },
  maxFileSize: {
    type: 'number',
    minimum: 1,
    default: 1024 * 1024,
    description: 'Files larger than this many bytes are not indexed.',
    takesEffect: 'fileRules',
    group: 'Indexing',
    order: 3,
  },
  sharedIndex: {
    type: 'string',
    default: '',
    description:
      'A team index to start from: `s3://bucket/prefix`, `gs://…`, `az://…` or a folder, written by `ferret index --publish`. An empty local index copies the rows of every file whose content matches (no parsing, no embedding) and indexes the rest itself. Used only when built by the same embedder and chunker. Credentials come from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`, …) or `#ferret.sharedIndexOptions#`.',
    takesEffect: 'restart',
    scope: 'machine-overridable',
    group: 'Indexing',
    order: 7,
  },
  sharedIndexOptions: {
    type: 'array',
    items: { type: 'string' },
    default: [],
    description:
      'Object-store options for `#ferret.sharedIndex#`, one `key=value` each, as LanceDB names them: `region=eu-west-1`, `endpoint=http://minio.lan:9000`, `aws_access_key_id=…`. Empty: the standard environment. Values are never logged.',
    takesEffect: 'restart',
    scope: 'machine',
    group: 'Indexing',
    order: 8,
  },
  watch: {
    type: 'boolean',
    default: true,
    description: 'Keep watching the folders and index changes as they happen. Set by the client: the extension follows `ferret.autoIndex`, one-shot CLI commands turn it off.',
    takesEffect: 'restart',
  },
  autoIndex: {
    type: 'boolean',
    default: true,
    description: 'Index the workspace in the background when the window opens and keep it up to date as files change.',
    takesEffect: 'restart',
    group: 'Indexing',
    order: 1,
  },
  providers: {
    type: 'array',
    items: { type: 'string', enum: ['mlx', 'ollama', 'openai'] },
    uniqueItems: true,
    default: [],
    description: 'Chat providers to try, in order. Empty: MLX first on Apple silicon, then Ollama, then the OpenAI-compatible server if a base URL is set.',
    takesEffect: 'providers',
    group: 'Chat',
    order: 1,
  },
  ollamaChatModel: {
    type: 'string',
    minLength: 1,
    default: 'qwen2.5-coder:7b',
    description: 'Ollama model used to answer questions.',
    takesEffect: 'providers',
    group: 'Models: Ollama',
    order: 3,
  },
  openaiChatModel: {
    type: 'string',
    minLength: 1,
    default: 'gpt-4o-mini',
    description: 'Chat model on the OpenAI-compatible server.',
    takesEffect: 'providers',
    group: 'Models: OpenAI-compatible',
    order: 3,
  },
  mlxModel: {
    type: 'string',
    minLength: 1,
    default: 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit',
    description: 'Hugging Face repo or local folder that `mlx_lm` can load (Apple silicon only).',
    takesEffect: 'providers',
    group: 'Models: MLX',
    order: 1,
  },
  pythonPath: {
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    description: 'Python interpreter for the MLX bridge. Empty: a workspace virtualenv, else `python3` on `PATH`.',
    takesEffect: 'providers',
    group: 'Models: MLX',
    order: 2,
  },
  answerSources: {
    type: 'integer',
    minimum: 1,
    maximum: 50,
    default: 8,
    description: 'How many code ranges are retrieved as sources for each answer.',
    takesEffect: 'live',
    group: 'Chat',
    order: 2,
  },
  firstTokenTimeoutSeconds: {
    type: 'number',
    minimum: 1,
    maximum: 24 * 3600,
    default: 60,
    description:
      "Seconds to wait for a model's first token (loading the model counts) before trying the next provider. Raise it for large models on slow machines.",
    takesEffect: 'providers',
    group: 'Chat',
    order: 3,
  },
  answerTimeoutSeconds: {
    type: 'number',
    minimum: 1,
    maximum: 24 * 3600,
    default: 300,
    description: 'Seconds an answer may stream before it ends with what it has.',
    takesEffect: 'providers',
    group: 'Chat',
    order: 4,
  },
  metricsPort: {
    type: 'integer',
    minimum: 0,
    maximum: 65535,
    default: 0,
    description:
      'Serve Prometheus metrics from the daemon on `http://127.0.0.1:<port>/metrics` (plus `/healthz` and `/readyz`). `0` turns it off. Takes effect when the daemon restarts.',
    takesEffect: 'restart',
    group: 'Advanced',
    order: 1,
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

/** The value a setting holds, from its spec: enums narrow strings, lists are mutable copies. */
type ValueOf<S> = S extends { type: 'string'; enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'number' | 'integer' }
        ? number
        : S extends { type: 'array'; items: { enum: readonly (infer E)[] } }
          ? E[]
          : S extends { type: 'array' }
            ? string[]
            : never;

/** Daemon settings; every field has a default on the daemon side. */
export type FerretSettings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

/** Which embedder to use. `auto`: Ollama when it answers, else the built-in local one. */
export type EmbedderChoice = FerretSettings['embedder'];

/** Every key, in the table's order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The spec of one key, widened so code can handle every kind alike. */
export function settingSpec(key: SettingKey): SettingSpec {
  return SETTINGS[key];
}

/** The keys whose change a running daemon handles as `effect` says. */
export function keysThatTakeEffect(effect: TakesEffect): readonly SettingKey[] {
  return SETTING_KEYS.filter((key) => SETTINGS[key].takesEffect === effect);
}

/** The keys a user sets as `ferret.<key>`; the rest a client sets itself. */
export const USER_SETTING_KEYS: readonly SettingKey[] = SETTING_KEYS.filter((key) => settingSpec(key).group !== undefined);
