"""Progress of a suite run: rich progress bars on a console (quiet in tests)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from rich.console import Console
from rich.progress import track

T = TypeVar("T")


class Progress:
    """Bars for long loops and one-line notes; ``quiet`` prints nothing."""

    def __init__(self, console: Console | None = None, *, quiet: bool = False) -> None:
        self.console = console or Console(stderr=True)
        self.quiet = quiet

    def track(self, items: Sequence[T], description: str) -> Iterable[T]:
        """``items`` with a progress bar."""
        if self.quiet:
            return items
        return track(items, description=description, console=self.console, transient=True)

    def note(self, message: str) -> None:
        if not self.quiet:
            self.console.print(f"[dim]{message}[/dim]")
