"""Loads a Python logging configuration as the program that reads it does,
with logging.config.dictConfig: unknown handler classes, formatters or
filters that are not declared, bad levels and a wrong `version` fail.

    python3 dictconfig.py FILE [KEY]

FILE is YAML; KEY names the mapping inside it that is the logging
configuration (maubot's config.yaml keeps it under `logging`). Synapse's
own classes (synapse.logging.*) are not installed here: stand-ins with
their constructor signatures take their place, so a config that names
them is still checked for everything else. Handlers are built but write
nowhere: file handlers get a scratch folder, streams stay as they are.
Exit 0 valid, 1 rejected, 2 unreadable.
"""
import logging
import logging.config
import os
import sys
import tempfile
import types

import yaml


def stub_synapse():
    """synapse.logging.context.LoggingContextFilter and the like, as stand-ins."""

    class LoggingContextFilter(logging.Filter):
        def __init__(self, request=""):
            super().__init__()

    class RemoteHandler(logging.Handler):
        def __init__(self, host, port, maximum_buffer=1000, level=logging.NOTSET, _reactor=None):
            super().__init__(level)

    class JsonFormatter(logging.Formatter):
        pass

    modules = {
        "synapse": types.ModuleType("synapse"),
        "synapse.logging": types.ModuleType("synapse.logging"),
        "synapse.logging.context": types.ModuleType("synapse.logging.context"),
        "synapse.logging._remote": types.ModuleType("synapse.logging._remote"),
        "synapse.logging._terse_json": types.ModuleType("synapse.logging._terse_json"),
    }
    modules["synapse.logging.context"].LoggingContextFilter = LoggingContextFilter
    modules["synapse.logging"].RemoteHandler = RemoteHandler
    modules["synapse.logging._remote"].RemoteHandler = RemoteHandler
    modules["synapse.logging._terse_json"].JsonFormatter = JsonFormatter
    modules["synapse.logging._terse_json"].TerseJsonFormatter = JsonFormatter
    for name, module in modules.items():
        sys.modules.setdefault(name, module)
    modules["synapse"].logging = modules["synapse.logging"]
    modules["synapse.logging"].context = modules["synapse.logging.context"]


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            config = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 2
    if len(sys.argv) == 3:
        key = sys.argv[2]
        if not isinstance(config, dict) or key not in config:
            print(f"{path}: no `{key}:` mapping", file=sys.stderr)
            return 1
        config = config[key]
    if not isinstance(config, dict):
        print(f"{path}: the logging configuration is not a mapping", file=sys.stderr)
        return 1
    stub_synapse()
    with tempfile.TemporaryDirectory(prefix="dictconfig.") as scratch:
        os.chdir(scratch)  # relative file handler paths land here
        for handler in (config.get("handlers") or {}).values():
            if isinstance(handler, dict) and "filename" in handler:
                handler["filename"] = os.path.join(scratch, os.path.basename(str(handler["filename"])))
        try:
            logging.config.dictConfig(config)
        except (ValueError, TypeError, AttributeError, ImportError) as e:
            print(f"{path}: logging.config.dictConfig: {e}", file=sys.stderr)
            cause = e.__cause__
            while cause is not None:
                print(f"  caused by: {cause}", file=sys.stderr)
                cause = cause.__cause__
            return 1
        finally:
            logging.shutdown()
            os.chdir("/")
    handlers = ", ".join(sorted((config.get("handlers") or {}).keys())) or "none"
    print(f"{path}: dictConfig accepts it (handlers: {handlers})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
