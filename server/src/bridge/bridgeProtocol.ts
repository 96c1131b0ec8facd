/**
 * The JSON-RPC protocol of python/mlx_bridge.py: methods, their params and results, the token
 * notification and the error codes. The Python file owns the protocol; this is its Node mirror,
 * and a test checks {@link BRIDGE_ERROR_CODES} against `mlx_bridge.py --error-codes`.
 */
import type { ChatErrorCode, ChatMessage } from '../chat/chatModel';

export const BRIDGE_ERROR_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  MODEL_NOT_FOUND: -32001,
  OUT_OF_MEMORY: -32002,
  GENERATION_TIMEOUT: -32003,
  BRIDGE_ERROR: -32004,
  MLX_UNAVAILABLE: -32005,
  EMBEDDING_UNSUPPORTED: -32006,
  REQUEST_CANCELLED: -32800,
} as const;

/** Sent while a streaming `generate` request is open, one per piece of text, in order. */
export const TOKEN_NOTIFICATION = 'generate/token';

export interface TokenNotification {
  requestId: string;
  /** 0-based position of the piece within its generation. */
  index: number;
  text: string;
}

export interface BridgeHealth {
  protocolVersion: number;
  pid: number;
  /** `sys.platform`, e.g. `darwin`. */
  platform: string;
  /** `platform.machine()`, e.g. `arm64`. */
  machine: string;
  python: string;
  mlxAvailable: boolean;
  /** Why mlx or mlx_lm did not import, when they did not. */
  mlxError?: string;
  loadedModels: string[];
  /** The requestId the worker is running, if any. */
  busy: string | null;
  memory: { activeBytes: number; peakBytes: number } | null;
}

export interface GenerateParams {
  model: string;
  messages?: ChatMessage[];
  prompt?: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  /** Send {@link TOKEN_NOTIFICATION}s while generating (default true). */
  stream?: boolean;
  /** Names the generation in notifications and `cancel`; default `rpc:<id>`. */
  requestId?: string;
  /** The bridge answers GENERATION_TIMEOUT after this long. */
  timeout_ms?: number;
}

export interface GenerateResult {
  model: string;
  text: string;
  /** `stop`, `length` or null, as mlx_lm reports it. */
  finishReason: string | null;
  usage: { promptTokens: number; completionTokens: number };
  timings: { firstTokenMs: number | null; totalMs: number };
}

/** Each method's params and result. */
export interface BridgeMethods {
  health: { params: Record<string, never>; result: BridgeHealth };
  'models/list': { params: Record<string, never>; result: { loaded: string[]; cached: string[] } };
  'models/load': { params: { model: string }; result: { model: string; contextWindow: number | null; loadMs: number } };
  'models/unload': { params: { model: string }; result: { model: string; unloaded: boolean } };
  generate: { params: GenerateParams; result: GenerateResult };
  /** Always EMBEDDING_UNSUPPORTED for now: mlx_lm has no embedding API. */
  embed: { params: { model: string; texts: string[] }; result: { vectors: number[][] } };
  cancel: { params: { requestId: string }; result: { cancelled: boolean } };
  shutdown: { params: Record<string, never>; result: Record<string, never> };
}

export type BridgeMethod = keyof BridgeMethods;

/** The {@link ChatErrorCode} a bridge error code stands for. */
export function chatErrorCode(code: number): ChatErrorCode {
  switch (code) {
    case BRIDGE_ERROR_CODES.MODEL_NOT_FOUND:
      return 'model-not-found';
    case BRIDGE_ERROR_CODES.OUT_OF_MEMORY:
      return 'out-of-memory';
    case BRIDGE_ERROR_CODES.GENERATION_TIMEOUT:
      return 'timeout';
    case BRIDGE_ERROR_CODES.MLX_UNAVAILABLE:
      return 'mlx-unavailable';
    case BRIDGE_ERROR_CODES.REQUEST_CANCELLED:
      return 'cancelled';
    default:
      return 'bridge-error';
  }
}
