"""A click group whose big subcommands are imported when they run, not when the CLI starts.

``event-registry --help`` and the light commands then skip httpx, the tracking-plan loader, the
store and the code generators (start-up is about the imports). ``--help`` lists the lazy
commands from their one-line help in the table, which a test keeps equal to the commands' own.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import click


class Lazy(NamedTuple):
    module: str
    attribute: str
    short_help: str
    """The command's own short help (``get_short_help_str``), shown by ``--help`` unloaded."""


class LazyGroup(click.Group):
    def __init__(self, *args: Any, lazy: dict[str, Lazy] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            entry = self.lazy[cmd_name]
            module = importlib.import_module(entry.module)
            self.add_command(getattr(module, entry.attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is None:
                stand_in = click.Command(name, help=self.lazy[name].short_help)
                help_ = stand_in.get_short_help_str(limit)
            elif loaded.hidden:
                continue
            else:
                help_ = loaded.get_short_help_str(limit)
            rows.append((name, help_))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
