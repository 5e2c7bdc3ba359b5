# The Python runtime of an execution environment: a child process per warm environment, started by
# execution-environment.ts as `python3 -u python-bootstrap.py <nonce>` in the unpacked code's directory.
# Same protocol as node-bootstrap.mjs: invocations arrive as JSON lines on fd 3, answers go to stdout as
# lines starting with "\x1eLT<nonce> " between the function's own output, so logs keep their order.
import importlib
import json
import logging
import os
import resource
import sys
import time
import traceback

NONCE = sys.argv[1]
CONTROL = "\x1eLT" + NONCE + " "
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())


class _Output:
    """stdout and stderr both, remembering whether the last write ended a line."""

    def __init__(self, stream):
        self.stream = stream
        self.at_line_start = True

    def write(self, text):
        if text:
            self.stream.write(text)
            self.stream.flush()
            self.at_line_start = text.endswith("\n")
        return len(text)

    def flush(self):
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


OUT = _Output(sys.stdout)
sys.stdout = OUT
sys.stderr = OUT
request_id = ""


def send(message):
    OUT.stream.write(("" if OUT.at_line_start else "\n") + CONTROL + json.dumps(message) + "\n")
    OUT.stream.flush()
    OUT.at_line_start = True


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = request_id
        return True


# Lambda's Python log format: [LEVEL]\t<time>Z\t<request id>\t<message>, UTC.
_handler = logging.StreamHandler(OUT)
# The emulator's clock may have been moved ahead of the machine's: log times follow the emulated clock.
_clock_offset_ms = 0


class _EmulatedTimeFormatter(logging.Formatter):
    def formatTime(self, record, datefmt=None):
        at = record.created + _clock_offset_ms / 1000
        return time.strftime(datefmt, time.gmtime(at)) + ".%03d" % int((at % 1) * 1000)


_formatter = _EmulatedTimeFormatter("[%(levelname)s]\t%(asctime)sZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S")
_handler.setFormatter(_formatter)
_handler.addFilter(_RequestIdFilter())
_handler.terminator = ""
logging.getLogger().addHandler(_handler)


class LambdaContext:
    def __init__(self, message):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = message["invokedFunctionArn"]
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = message["requestId"]
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = message.get("clientContext")
        self._deadline = message["deadline"]

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))


def memory_used_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def error_document(error, with_trace=True):
    frames = traceback.format_list(traceback.extract_tb(error.__traceback__)) if with_trace else []
    return {"errorMessage": str(error), "errorType": type(error).__name__, "requestId": request_id, "stackTrace": frames}


def log_error(error):
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    OUT.write("[ERROR] " + type(error).__name__ + ": " + str(error) + "\n" + "".join(lines[:-1]))


def load_handler(handler):
    """`dir/module.function`: the module is imported with `/` read as `.`, as Lambda's runtime does."""
    if "." not in handler:
        raise _Failure("Runtime.MalformedHandlerName", "Bad handler '" + handler + "': not enough values to unpack (expected 2, got 1)")
    module_name, function_name = handler.rsplit(".", 1)
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        raise _Failure("Runtime.UserCodeSyntaxError", "Syntax error in module '" + module_name + "': " + str(e))
    except ImportError as e:
        raise _Failure("Runtime.ImportModuleError", "Unable to import module '" + module_name + "': " + str(e))
    function = getattr(module, function_name, None)
    if function is None:
        raise _Failure("Runtime.HandlerNotFound", "Handler '" + function_name + "' missing on module '" + module_name + "'")
    return function


class _Failure(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.document = {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}


def invoke(handler, message):
    global request_id, _clock_offset_ms
    request_id = message["requestId"]
    _clock_offset_ms = message.get("clockOffsetMs", 0)
    try:
        result = handler(json.loads(message["payload"]), LambdaContext(message))
    except Exception as e:
        log_error(e)
        send({"type": "error", "requestId": request_id, "error": error_document(e), "memoryMb": memory_used_mb()})
        return
    try:
        payload = json.dumps(result)
    except Exception as e:
        doc = {"errorMessage": "Unable to marshal response: " + str(e), "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []}
        OUT.write("[ERROR] Runtime.MarshalError: Unable to marshal response: " + str(e) + "\n")
        send({"type": "error", "requestId": request_id, "error": doc, "memoryMb": memory_used_mb()})
        return
    send({"type": "result", "requestId": request_id, "payload": payload, "memoryMb": memory_used_mb()})


def main():
    sys.path.insert(0, TASK_ROOT)
    started = time.perf_counter()
    handler = None
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
        send({"type": "ready", "initMs": (time.perf_counter() - started) * 1000})
    except _Failure as e:
        OUT.write("[ERROR] " + e.document["errorType"] + ": " + e.document["errorMessage"] + "\n")
        send({"type": "ready", "initMs": (time.perf_counter() - started) * 1000, "error": e.document})
    except Exception as e:
        log_error(e)
        send({"type": "ready", "initMs": (time.perf_counter() - started) * 1000, "error": error_document(e)})
    with os.fdopen(3, "r", encoding="utf-8") as control:
        for line in control:
            if handler is not None:
                invoke(handler, json.loads(line))


main()
