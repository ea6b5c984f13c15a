"""A deterministic chat model for tests: records its calls and replays scripted replies."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from coach.llm.base import ChatMessage, ChatModel, LLMError

Script = str | Exception | Sequence[str | Exception]


class FakeChatModel(ChatModel):
    """Replays one scripted reply per call.

    A reply is a string (streamed word by word), an exception (raised before any text),
    or a sequence of deltas and exceptions (an exception after some deltas fails
    mid-stream). Once the script is used up, ``default`` is replayed (``None``: error).

    Attributes:
        calls: the messages of every call, in order.
    """

    def __init__(
        self,
        replies: Iterable[Script] = (),
        *,
        default: Script | None = None,
        name: str = "fake",
    ) -> None:
        self.name = name
        self.default = default
        self.calls: list[list[ChatMessage]] = []
        self._replies: deque[Script] = deque(replies)

    def add(self, *replies: Script) -> None:
        """Append replies to the script."""
        self._replies.extend(replies)

    def _stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        self.calls.append(list(messages))
        if self._replies:
            reply = self._replies.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise LLMError("FakeChatModel has no scripted reply left", kind="error")
        if isinstance(reply, Exception):
            raise reply
        deltas = re.findall(r"\S+\s*|\s+", reply) if isinstance(reply, str) else reply
        for delta in deltas:
            if isinstance(delta, Exception):
                raise delta
            yield delta
