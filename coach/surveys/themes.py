"""Themes of free-text comments with quoted examples, through the chat model seam.

The model's reply is checked before anyone sees it: every quote must be a verbatim part of a
real comment of the group (it is linked to the comment(s) that contain it; a quote found in
none is dropped), every listed comment id must exist, and a theme left with no verified
quote is dropped. When the model fails or says nothing usable, the offline key phrases
stand alone (``themes`` is None and ``error`` says why).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from pydantic import BaseModel, Field, ValidationError

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt
from coach.surveys.comments import Comment

MAX_COMMENTS = 80
MAX_CHARS = 600
QUOTE_MARKS = "\"'“”«»‘’ "


class Quote(BaseModel):
    """A verbatim extract and the comments it was found in."""

    text: str
    comment_ids: list[str]


class Theme(BaseModel):
    """A theme several comments share, with verified quotes."""

    label: str
    summary: str
    comment_ids: list[str]
    quotes: list[Quote]


class _RawQuote(BaseModel):
    comment_id: str = ""
    text: str


class _RawTheme(BaseModel):
    label: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=1000)
    comment_ids: list[str] = Field(default_factory=list)
    quotes: list[_RawQuote] = Field(default_factory=list)


class _Reply(BaseModel):
    themes: list[_RawTheme]


def _json(text: str) -> _Reply:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the reply")
    return _Reply.model_validate(json.loads(text[start : end + 1]))


def verify(reply: _Reply, comments: Sequence[Comment]) -> list[Theme]:
    """The reply's themes with only what the comments support (see the module's rules)."""
    by_id = {c.id: c.text for c in comments}
    themes = []
    for raw in reply.themes:
        quotes = []
        for q in raw.quotes:
            text = html.unescape(q.text).strip(QUOTE_MARKS)
            found = [cid for cid, body in by_id.items() if text and text in body]
            if len(text) >= 3 and found:
                first = [q.comment_id] if q.comment_id in found else []
                quotes.append(
                    Quote(text=text, comment_ids=first + [c for c in found if c not in first])
                )
        if not quotes:
            continue
        ids = [c for c in raw.comment_ids if c in by_id]
        ids += [c for q in quotes for c in q.comment_ids if c not in ids]
        themes.append(
            Theme(
                label=raw.label.strip(), summary=raw.summary.strip(), comment_ids=ids, quotes=quotes
            )
        )
    return themes


def themes(
    model: ChatModel, comments: Sequence[Comment], *, group: str, language: str
) -> tuple[list[Theme] | None, str | None]:
    """(themes, None), or (None, why) when the model could not give usable ones."""
    shown = list(comments)[:MAX_COMMENTS]
    block = "\n".join(f"[{c.id}] {html.escape(c.text[:MAX_CHARS], quote=False)}" for c in shown)
    prompt = load_prompt("survey_themes").render(
        language="French" if language == "fr" else "English", group=group, comments=block
    )
    try:
        reply = model.complete(
            [ChatMessage("system", prompt.system), ChatMessage("user", prompt.user)]
        )
        found = verify(_json(reply), [_unescaped(c) for c in shown])
    except LLMError as err:
        return None, f"the model failed: {err}"
    except (ValueError, ValidationError) as err:
        return None, f"the model's reply was not usable: {str(err).splitlines()[0]}"
    if not found:
        return None, "the model gave no theme with a verbatim quote"
    return found, None


def _unescaped(c: Comment) -> Comment:
    """Quotes are checked against the text the model saw (truncated), which is part of the
    real comment; the model may echo ``&amp;`` as ``&``, so compare against the plain text."""
    return Comment(c.id, c.text[:MAX_CHARS], c.group, c.kind, c.audience, c.language)
