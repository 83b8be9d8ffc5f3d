"""Settings errors as one line each, naming the environment variable, for the CLI to print.

The offending value is left out on purpose: it may be a database URL with a password.
"""

from __future__ import annotations

from pydantic import ValidationError

PREFIX = "SLRT_"


def describe(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        loc = problem["loc"]
        if not loc:  # a rule across settings: its message names the variables itself
            lines += [f"SLRT_ENVIRONMENT=production: {line}" for line in message.splitlines()]
            continue
        variable = PREFIX + str(loc[0]).upper()
        suffix = "".join(f"[{part}]" for part in loc[1:])
        lines.append(message if message.startswith(variable) else f"{variable}{suffix}: {message}")
    return lines
