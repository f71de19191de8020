"""Runs one Lambda invocation of a Python handler in this (child) process.

argv: HANDLER REQUEST_ID TIMEOUT_MS [FORWARD_HOST FORWARD_PORT FORWARD_SOCKET]. The event arrives
on stdin; the outcome is written as JSON to file descriptor 3 ({"ok": true, "result": ...} or
{"ok": false, "errorType", "errorMessage", "stackTrace"}), because stdout and stderr belong to
the handler's own logging. In the jail, the FORWARD_* arguments open the way to the sandbox
(forwarder.py) before the handler loads.
"""

import importlib
import json
import os
import sys
import time
import traceback

import forwarder  # before the function's folder joins sys.path, so its files cannot stand in

RESULT_FD = 3


def write(outcome):
    try:
        text = json.dumps(outcome)
    except (TypeError, ValueError) as err:
        text = json.dumps({"ok": False, "errorType": "Runtime.MarshalError",
                           "errorMessage": "Unable to marshal response: %s" % err, "stackTrace": []})
    data = text.encode("utf-8")
    try:
        while data:
            data = data[os.write(RESULT_FD, data):]
    except OSError:
        pass  # the sandbox stopped reading: nothing left to tell it


class LambdaContext:
    def __init__(self, request_id, deadline):
        env = os.environ
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = env.get("SANDBOX_LAMBDA_FUNCTION_ARN")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.aws_request_id = request_id
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline = deadline

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.time()) * 1000))


def main():
    handler_spec, request_id, timeout_ms = (sys.argv[1:4] + ["", "", "0"])[:3]
    if len(sys.argv) >= 7:
        forwarder.start(sys.argv[4], int(sys.argv[5]), sys.argv[6])
    deadline = time.time() + int(timeout_ms or 0) / 1000
    sys.path.insert(0, os.getcwd())
    text = sys.stdin.read()
    event = json.loads(text) if text.strip() else None
    module_name, _, function_name = handler_spec.rpartition(".")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as err:  # noqa: BLE001 - any import failure is reported as Lambda does
        write({"ok": False, "errorType": "Runtime.ImportModuleError",
               "errorMessage": "Unable to import module '%s': %s" % (module_name, err), "stackTrace": []})
        return
    handler = getattr(module, function_name, None)
    if not callable(handler):
        write({"ok": False, "errorType": "Runtime.HandlerNotFound",
               "errorMessage": "Handler '%s' missing on module '%s'" % (function_name, module_name),
               "stackTrace": []})
        return
    try:
        result = handler(event, LambdaContext(request_id, deadline))
    except Exception as err:  # noqa: BLE001 - the handler's own error is the invocation's result
        write({"ok": False, "errorType": type(err).__name__, "errorMessage": str(err),
               "stackTrace": traceback.format_tb(err.__traceback__)})
        return
    write({"ok": True, "result": result})


if __name__ == "__main__":
    main()
    # Lambda freezes the environment once the handler answers: threads the handler left running
    # do not hold the invocation open.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
