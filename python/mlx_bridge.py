#!/usr/bin/env python3
"""Ferret's MLX bridge: one long-lived process serving JSON-RPC 2.0 over stdio.

Frames carry a `Content-Length` header, as in the Language Server Protocol (the framing
vscode-jsonrpc speaks on the Node side). stdout carries protocol frames only: file descriptor 1
is pointed at stderr before mlx is imported, so library prints (download progress, warnings)
cannot corrupt the stream.

The main thread reads requests and answers the cheap ones (`health`, `models/list`,
`models/unload`, `cancel`, `shutdown`) at once. Loading, generating and embedding run on one
worker thread, so a running generation never stops `cancel` or `health` from being answered, and
only one computation holds the GPU at a time.

Python 3.9+ standard library, plus mlx and mlx_lm when they are installed. `--error-codes`
prints the error code table as JSON (the Node side checks its copy against it).
"""
from __future__ import annotations

import gc
import json
import os
import platform
import queue
import re
import sys
import threading
import time
import traceback
from typing import Any, BinaryIO, Callable, Dict, List, Optional

# JSON-RPC error codes. The Node side mirrors this table in server/src/bridge/bridgeProtocol.ts.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
MODEL_NOT_FOUND = -32001
OUT_OF_MEMORY = -32002
GENERATION_TIMEOUT = -32003
BRIDGE_ERROR = -32004
MLX_UNAVAILABLE = -32005
EMBEDDING_UNSUPPORTED = -32006
REQUEST_CANCELLED = -32800  # the LSP code, which vscode-jsonrpc also knows

ERROR_CODES = {
    "PARSE_ERROR": PARSE_ERROR,
    "INVALID_REQUEST": INVALID_REQUEST,
    "METHOD_NOT_FOUND": METHOD_NOT_FOUND,
    "INVALID_PARAMS": INVALID_PARAMS,
    "INTERNAL_ERROR": INTERNAL_ERROR,
    "MODEL_NOT_FOUND": MODEL_NOT_FOUND,
    "OUT_OF_MEMORY": OUT_OF_MEMORY,
    "GENERATION_TIMEOUT": GENERATION_TIMEOUT,
    "BRIDGE_ERROR": BRIDGE_ERROR,
    "MLX_UNAVAILABLE": MLX_UNAVAILABLE,
    "EMBEDDING_UNSUPPORTED": EMBEDDING_UNSUPPORTED,
    "REQUEST_CANCELLED": REQUEST_CANCELLED,
}

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 64 * 1024 * 1024
MAX_HEADER_LINE = 16 * 1024 * 1024
DEFAULT_MAX_TOKENS = 512
TOKEN_NOTIFICATION = "generate/token"

# Exception class names that mean "no such model" across mlx_lm and huggingface_hub versions.
_MISSING_MODEL_ERRORS = {
    "ModelNotFoundError", "FileNotFoundError", "RepositoryNotFoundError",
    "LocalEntryNotFoundError", "HFValidationError", "GatedRepoError", "OfflineModeIsEnabled",
}
# Metal reports exhausted memory as RuntimeErrors; these phrases are what it says.
_OUT_OF_MEMORY = re.compile(
    r"out of memory|outofmemory|insufficient memory|failed to allocate|attempting to allocate", re.I)
_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*([^\r\n]*)", re.I)


def log(message: str) -> None:
    sys.stderr.write(f"[mlx_bridge] {message}\n")
    sys.stderr.flush()


class BridgeError(Exception):
    """An error reply: a JSON-RPC code and one sentence for a person."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def classify(exc: BaseException) -> BridgeError:
    if isinstance(exc, BridgeError):
        return exc
    if isinstance(exc, MemoryError) or _OUT_OF_MEMORY.search(str(exc)):
        return BridgeError(OUT_OF_MEMORY, f"MLX ran out of memory: {exc}")
    log("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
    return BridgeError(BRIDGE_ERROR, f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------------------------
# Framing


class FrameError(Exception):
    """A frame that cannot be read; the reader skips it and stays in step with the next one."""


def read_frame(stream: BinaryIO) -> Optional[bytes]:
    """The next frame's body, or None at end of input.

    A header block ends at an empty line. Junk before a header (the unread rest of a frame whose
    length was wrong) is skipped: a `Content-Length:` anywhere in a line starts a new frame.
    """
    length: Optional[bytes] = None
    seen = False
    while True:
        line = stream.readline(MAX_HEADER_LINE)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            if seen:
                break
            continue
        seen = True
        matches = list(_CONTENT_LENGTH.finditer(line))
        if matches:
            length = matches[-1].group(1).strip()
    if length is None:
        raise FrameError("frame without a Content-Length header")
    if not length.isdigit():
        raise FrameError(f"invalid Content-Length {length.decode('latin-1')!r}")
    size = int(length)
    if size > MAX_FRAME_BYTES:
        raise FrameError(f"frame of {size} bytes exceeds the {MAX_FRAME_BYTES} byte limit")
    body = stream.read(size)
    return body if len(body) == size else None


class Writer:
    """Writes frames to the protocol stream; safe to call from any thread."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._lock = threading.Lock()

    def send(self, message: Dict[str, Any]) -> None:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with self._lock:
            try:
                self._out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self._out.flush()
            except OSError:
                os._exit(0)  # the daemon is gone: nobody is left to answer

    def result(self, rpc_id: Any, result: Any) -> None:
        self.send({"jsonrpc": "2.0", "id": rpc_id, "result": result})

    def error(self, rpc_id: Any, code: int, message: str) -> None:
        self.send({"jsonrpc": "2.0", "id": rpc_id, "error": {"code": code, "message": message}})

    def notify(self, method: str, params: Dict[str, Any]) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


# ---------------------------------------------------------------------------------------------
# Parameters


def _string(params: Dict[str, Any], name: str, required: bool = True) -> Optional[str]:
    value = params.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise BridgeError(INVALID_PARAMS, f"'{name}' must be a non-empty string")
    return value


def _number(params: Dict[str, Any], name: str, default: Optional[float], low: float, high: float,
            integer: bool = False) -> Optional[float]:
    value = params.get(name)
    if value is None:
        return default
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        kind = "an integer" if integer else "a number"
        raise BridgeError(INVALID_PARAMS, f"'{name}' must be {kind} from {low!r} to {high!r}")
    return value


def _messages(params: Dict[str, Any]) -> List[Dict[str, str]]:
    value = params.get("messages")
    valid = isinstance(value, list) and value and all(
        isinstance(m, dict) and m.get("role") in ("system", "user", "assistant")
        and isinstance(m.get("content"), str) for m in value)
    if not valid:
        raise BridgeError(INVALID_PARAMS, "'messages' must be a non-empty list of "
                                          "{role: system|user|assistant, content: string}")
    return [{"role": m["role"], "content": m["content"]} for m in value]


def _texts(params: Dict[str, Any]) -> List[str]:
    value = params.get("texts")
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise BridgeError(INVALID_PARAMS, "'texts' must be a list of strings")
    return value


# ---------------------------------------------------------------------------------------------
# MLX


class Mlx:
    """mlx and mlx_lm when they import; otherwise the reason they do not."""

    def __init__(self) -> None:
        self.core: Any = None
        self.lm: Any = None
        self.make_sampler: Optional[Callable[..., Any]] = None
        self.error: Optional[str] = None
        try:
            import mlx.core as core
            import mlx_lm
            from mlx_lm.sample_utils import make_sampler
        except Exception as exc:  # a broken install raises more than ImportError
            self.error = f"{type(exc).__name__}: {exc}"
            return
        self.core, self.lm, self.make_sampler = core, mlx_lm, make_sampler

    @property
    def available(self) -> bool:
        return self.error is None

    def require(self) -> None:
        if self.error is not None:
            raise BridgeError(MLX_UNAVAILABLE, f"MLX is not available in this Python ({self.error})")

    def _function(self, name: str) -> Optional[Callable[[], Any]]:
        # mlx >= 0.24 has the memory calls at top level; older releases only under mlx.core.metal.
        for owner in (self.core, getattr(self.core, "metal", None)):
            function = getattr(owner, name, None)
            if callable(function):
                return function
        return None

    def memory(self) -> Optional[Dict[str, int]]:
        if not self.available:
            return None
        active, peak = self._function("get_active_memory"), self._function("get_peak_memory")
        if active is None or peak is None:
            return None
        try:
            return {"activeBytes": int(active()), "peakBytes": int(peak())}
        except Exception as exc:
            log(f"memory query failed: {exc}")
            return None

    def clear_cache(self) -> None:
        clear = self._function("clear_cache") if self.available else None
        if clear is not None:
            clear()


def _context_window(model: Any) -> Optional[int]:
    args = getattr(model, "args", None)
    for key in ("max_position_embeddings", "max_seq_len", "context_length", "n_ctx"):
        value = getattr(args, key, None)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _hub_cache() -> str:
    if os.environ.get("HF_HUB_CACHE"):
        return os.environ["HF_HUB_CACHE"]
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return os.path.join(home, "hub")


class Models:
    """Loaded models by name. Loading only ever happens on the worker thread."""

    def __init__(self, mlx: Mlx) -> None:
        self._mlx = mlx
        self._loaded: Dict[str, Dict[str, Any]] = {}
        self._lock = threading.Lock()

    def names(self) -> List[str]:
        with self._lock:
            return list(self._loaded)

    def get(self, name: str) -> Dict[str, Any]:
        with self._lock:
            entry = self._loaded.get(name)
        if entry is not None:
            return entry
        self._mlx.require()
        started = time.monotonic()
        try:
            model, tokenizer = self._mlx.lm.load(name)
        except Exception as exc:
            if type(exc).__name__ in _MISSING_MODEL_ERRORS:
                hint = (" Ferret does not download models: fetch it once with `mlx_lm.generate --model "
                        f"{name} --prompt hi`, or start the daemon with HF_HUB_OFFLINE=0 to allow downloads."
                        if os.environ.get("HF_HUB_OFFLINE") == "1" else "")
                raise BridgeError(MODEL_NOT_FOUND, f"MLX model '{name}' was not found: {exc}.{hint}") from exc
            raise
        entry = {"model": model, "tokenizer": tokenizer, "contextWindow": _context_window(model),
                 "loadMs": round((time.monotonic() - started) * 1000, 1)}
        with self._lock:
            self._loaded[name] = entry
        return entry

    def unload(self, name: str) -> bool:
        with self._lock:
            entry = self._loaded.pop(name, None)
        if entry is None:
            return False
        del entry
        gc.collect()
        self._mlx.clear_cache()
        return True

    @staticmethod
    def cached() -> List[str]:
        """Models in the Hugging Face cache (`models--org--name` folders), which load offline."""
        try:
            folders = sorted(os.listdir(_hub_cache()))
        except OSError:
            return []
        return [f[len("models--"):].replace("--", "/") for f in folders if f.startswith("models--")]


# ---------------------------------------------------------------------------------------------
# Jobs: requests answered by the worker thread


class Job:
    """One request on the worker. Answered exactly once: by the worker, or at once by a cancel or
    a timeout, in which case the worker stops at its next token and its output is discarded."""

    def __init__(self, writer: Writer, rpc_id: Any, request_id: str, timeout_ms: Optional[float],
                 on_answered: Callable[["Job"], None]) -> None:
        self.rpc_id = rpc_id
        self.request_id = request_id
        self.stop = threading.Event()
        self._writer = writer
        self._timeout_ms = timeout_ms
        self._on_answered = on_answered
        self._lock = threading.Lock()
        self._answered = False
        self._timer: Optional[threading.Timer] = None

    def start_clock(self) -> None:
        if self._timeout_ms is not None:
            message = f"the MLX generation did not finish within {self._timeout_ms:g} ms"
            self._timer = threading.Timer(self._timeout_ms / 1000,
                                          lambda: self.abort(BridgeError(GENERATION_TIMEOUT, message)))
            self._timer.daemon = True
            self._timer.start()

    def notify(self, method: str, params: Dict[str, Any]) -> None:
        with self._lock:
            if not self._answered:
                self._writer.notify(method, params)

    def succeed(self, result: Any) -> None:
        self._answer(lambda: self._writer.result(self.rpc_id, result))

    def fail(self, error: BridgeError) -> None:
        self._answer(lambda: self._writer.error(self.rpc_id, error.code, error.message))

    def abort(self, error: BridgeError) -> None:
        self.stop.set()
        self.fail(error)

    def _answer(self, send: Callable[[], None]) -> None:
        with self._lock:
            if self._answered:
                return
            self._answered = True
            send()
        if self._timer is not None:
            self._timer.cancel()
        self._on_answered(self)


class Worker:
    """Runs jobs one at a time on a daemon thread, so shutdown never waits for the GPU."""

    def __init__(self) -> None:
        self._queue: "queue.Queue[tuple[Job, Callable[[Job], Any]]]" = queue.Queue()
        self._current: Optional[Job] = None
        threading.Thread(target=self._run, name="mlx-worker", daemon=True).start()

    @property
    def busy(self) -> Optional[str]:
        job = self._current
        return job.request_id if job is not None else None

    def submit(self, job: Job, task: Callable[[Job], Any]) -> None:
        self._queue.put((job, task))

    def _run(self) -> None:
        while True:
            job, task = self._queue.get()
            if job.stop.is_set():
                continue
            self._current = job
            job.start_clock()
            try:
                job.succeed(task(job))
            except Exception as exc:
                job.fail(classify(exc))
            finally:
                self._current = None


def _prompt(tokenizer: Any, params: Dict[str, Any]) -> Any:
    if params.get("prompt") is not None:
        return params["prompt"]
    messages = params["messages"]
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, add_generation_prompt=True)
    return "".join(f"{m['role']}: {m['content']}\n\n" for m in messages) + "assistant: "


def generate(mlx: Mlx, models: Models, job: Job, params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    mlx.require()
    entry = models.get(params["model"])
    prompt = _prompt(entry["tokenizer"], params)
    sampler = mlx.make_sampler(temp=params["temperature"], top_p=params["top_p"])
    started = time.monotonic()
    first_token_ms: Optional[float] = None
    pieces: List[str] = []
    usage = {"promptTokens": 0, "completionTokens": 0}
    finish_reason = None
    responses = mlx.lm.stream_generate(entry["model"], entry["tokenizer"], prompt,
                                       max_tokens=params["max_tokens"], sampler=sampler)
    try:
        for response in responses:
            if job.stop.is_set():
                return None
            if first_token_ms is None:
                first_token_ms = round((time.monotonic() - started) * 1000, 1)
            usage = {"promptTokens": response.prompt_tokens, "completionTokens": response.generation_tokens}
            finish_reason = response.finish_reason
            if response.text:
                if params["stream"]:
                    job.notify(TOKEN_NOTIFICATION, {"requestId": job.request_id, "index": len(pieces),
                                                    "text": response.text})
                pieces.append(response.text)
    finally:
        responses.close()
    return {"model": params["model"], "text": "".join(pieces), "finishReason": finish_reason,
            "usage": usage, "timings": {"firstTokenMs": first_token_ms,
                                        "totalMs": round((time.monotonic() - started) * 1000, 1)}}


# ---------------------------------------------------------------------------------------------
# The server

_DEFERRED = object()  # a handler's return value: the worker answers later


class Bridge:
    def __init__(self, writer: Writer, mlx: Mlx) -> None:
        self.writer = writer
        self.mlx = mlx
        self.models = Models(mlx)
        self.worker = Worker()
        self._jobs: Dict[str, Job] = {}
        self._jobs_lock = threading.Lock()
        self._methods: Dict[str, Callable[[Any, Dict[str, Any]], Any]] = {
            "health": self.health,
            "models/list": self.list_models,
            "models/load": self.load_model,
            "models/unload": self.unload_model,
            "generate": self.generate,
            "embed": self.embed,
            "cancel": self.cancel,
            "shutdown": self.shutdown,
        }

    def serve(self, stream: BinaryIO) -> None:
        while True:
            try:
                body = read_frame(stream)
            except FrameError as exc:
                self.writer.error(None, PARSE_ERROR, f"Parse error: {exc}")
                continue
            if body is None:
                return
            self.handle(body)

    def handle(self, body: bytes) -> None:
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            self.writer.error(None, PARSE_ERROR, f"Parse error: the frame is not JSON ({exc})")
            return
        if not isinstance(message, dict):
            self.writer.error(None, INVALID_REQUEST, "Invalid request: expected one JSON object (no batches)")
            return
        rpc_id = message.get("id")
        if rpc_id is not None and (isinstance(rpc_id, bool) or not isinstance(rpc_id, (str, int))):
            self.writer.error(None, INVALID_REQUEST, "Invalid request: 'id' must be a string or an integer")
            return
        method, params = message.get("method"), message.get("params", {})
        if message.get("jsonrpc") != "2.0" or not isinstance(method, str):
            self.writer.error(rpc_id, INVALID_REQUEST, "Invalid request: needs jsonrpc '2.0' and a method")
            return
        is_request = "id" in message
        handler = self._methods.get(method)
        try:
            if handler is None:
                raise BridgeError(METHOD_NOT_FOUND, f"Method not found: {method}")
            if params is None:
                params = {}
            if not isinstance(params, dict):
                raise BridgeError(INVALID_PARAMS, "params must be an object")
            result = handler(rpc_id, params)
        except Exception as exc:
            error = classify(exc)
            if is_request:
                self.writer.error(rpc_id, error.code, error.message)
            else:
                log(f"notification {method} failed: {error.message}")
            return
        if is_request and result is not _DEFERRED:
            self.writer.result(rpc_id, result)

    def _submit(self, rpc_id: Any, request_id: str, timeout_ms: Optional[float],
                task: Callable[[Job], Any]) -> object:
        if rpc_id is None:
            raise BridgeError(INVALID_REQUEST, "this method is a request: it needs an id")
        with self._jobs_lock:
            if request_id in self._jobs:
                raise BridgeError(INVALID_PARAMS, f"requestId '{request_id}' is already running")
            job = Job(self.writer, rpc_id, request_id, timeout_ms, self._forget)
            self._jobs[request_id] = job
        self.worker.submit(job, task)
        return _DEFERRED

    def _forget(self, job: Job) -> None:
        with self._jobs_lock:
            if self._jobs.get(job.request_id) is job:
                del self._jobs[job.request_id]

    def health(self, _rpc_id: Any, _params: Dict[str, Any]) -> Dict[str, Any]:
        result: Dict[str, Any] = {
            "protocolVersion": PROTOCOL_VERSION, "pid": os.getpid(), "platform": sys.platform,
            "machine": platform.machine(), "python": platform.python_version(),
            "mlxAvailable": self.mlx.available, "loadedModels": self.models.names(),
            "busy": self.worker.busy, "memory": self.mlx.memory(),
        }
        if self.mlx.error is not None:
            result["mlxError"] = self.mlx.error
        return result

    def list_models(self, _rpc_id: Any, _params: Dict[str, Any]) -> Dict[str, Any]:
        return {"loaded": self.models.names(), "cached": Models.cached()}

    def load_model(self, rpc_id: Any, params: Dict[str, Any]) -> object:
        name = _string(params, "model")
        self.mlx.require()

        def task(_job: Job) -> Dict[str, Any]:
            entry = self.models.get(name)
            return {"model": name, "contextWindow": entry["contextWindow"], "loadMs": entry["loadMs"]}
        return self._submit(rpc_id, f"rpc:{rpc_id}", None, task)

    def unload_model(self, _rpc_id: Any, params: Dict[str, Any]) -> Dict[str, Any]:
        name = _string(params, "model")
        return {"model": name, "unloaded": self.models.unload(name)}

    def generate(self, rpc_id: Any, params: Dict[str, Any]) -> object:
        model = _string(params, "model")
        has_prompt = params.get("prompt") is not None
        if has_prompt == (params.get("messages") is not None):
            raise BridgeError(INVALID_PARAMS, "give exactly one of 'messages' and 'prompt'")
        stream = params.get("stream", True)
        if not isinstance(stream, bool):
            raise BridgeError(INVALID_PARAMS, "'stream' must be a boolean")
        checked = {
            "model": model, "stream": stream,
            "prompt": _string(params, "prompt") if has_prompt else None,
            "messages": None if has_prompt else _messages(params),
            "max_tokens": _number(params, "max_tokens", DEFAULT_MAX_TOKENS, 1, 1_000_000, integer=True),
            "temperature": _number(params, "temperature", 0.0, 0.0, 10.0),
            "top_p": _number(params, "top_p", 1.0, 0.0, 1.0),
        }
        timeout_ms = _number(params, "timeout_ms", None, 1, 86_400_000)
        request_id = _string(params, "requestId", required=False) or f"rpc:{rpc_id}"
        self.mlx.require()
        return self._submit(rpc_id, request_id, timeout_ms,
                            lambda job: generate(self.mlx, self.models, job, checked))

    def embed(self, _rpc_id: Any, params: Dict[str, Any]) -> Any:
        _string(params, "model")
        _texts(params)
        self.mlx.require()
        raise BridgeError(EMBEDDING_UNSUPPORTED, "mlx_lm has no embedding API; use the ollama, "
                                                 "openai or local embedder")

    def cancel(self, _rpc_id: Any, params: Dict[str, Any]) -> Dict[str, Any]:
        request_id = _string(params, "requestId")
        with self._jobs_lock:
            job = self._jobs.get(request_id)
        if job is not None:
            job.abort(BridgeError(REQUEST_CANCELLED, "the MLX generation was cancelled"))
        return {"cancelled": job is not None}

    def shutdown(self, rpc_id: Any, _params: Dict[str, Any]) -> None:
        with self._jobs_lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.abort(BridgeError(REQUEST_CANCELLED, "the bridge is shutting down"))
        if rpc_id is not None:
            self.writer.result(rpc_id, {})
        sys.stderr.flush()
        os._exit(0)  # the worker may be inside a model call that cannot be interrupted


def _claim_stdout() -> BinaryIO:
    """A private handle on the real stdout for frames; fd 1 and sys.stdout go to stderr."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return out


def main(argv: List[str]) -> int:
    if "--error-codes" in argv:
        print(json.dumps(ERROR_CODES))
        return 0
    writer = Writer(_claim_stdout())
    mlx = Mlx()
    log(f"ready (python {platform.python_version()}, mlx {'available' if mlx.available else mlx.error})")
    Bridge(writer, mlx).serve(sys.stdin.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
